// Reading and writing recordings. Three input formats are accepted:
//
// 1. Calibrated CSV, format version 1 (the kiosk's own; a public surface —
//    other tools read and write it, so change it only by adding a version):
//      # kiosk-recording 1                  <- optional lines starting with '#'
//      t_s,fz_n,cop_x_mm,cop_y_mm           <- header, comma-separated
//      0.001,702.31,-3.5,12.25              <- one sample per line
//    Columns are found by name (any order; unknown columns are ignored so a
//    later version may add some). Units: s, N, mm; axes as in recording.h.
//    Time strictly increasing; every value a finite decimal number. When the
//    plate is unloaded (Fz < 20 N) the COP columns hold 0 (plate centre).
//    A '# kiosk-recording N' line with N other than 1 is refused.
// 2. Raw cells CSV: header `t_s,c0,c1,c2,c3`, raw per-cell values (plate
//    units); the same rules. Fz/COP come only after a cell layout is applied
//    (cell_layout.h).
// 3. BDS text (Santos & Duarte 2016; shared/datasets/bds): one tab-separated
//    header `Time[s] Fx[N] Fy[N] Fz[N] Mx[Nm] My[Nm] Mz[Nm] COPx[cm] COPy[cm]`,
//    COP in cm (converted to mm here), 100 Hz.
//
// Every error names the file and line: "rec.csv:17: fz_n is not a finite number (got 'nan')".
#pragma once
#include <filesystem>
#include <iosfwd>
#include <string>

#include "signal/recording.h"

namespace kiosk::signal {

enum class RecordingFormat { automatic, csv, bds };  // csv = calibrated or raw cells, told by header

inline constexpr int kRecordingCsvVersion = 1;
inline constexpr std::size_t kMinRecordingSamples = 10;  // fewer → RecordingError
inline constexpr double kUnloadedFz_n = 20;              // below this the COP is undefined

// "csv" | "bds" | "auto" → format; throws RecordingError for anything else.
RecordingFormat parse_recording_format(const std::string& name);

// Throws RecordingError (unreadable file, bad header, bad value, time not
// increasing, fewer than kMinRecordingSamples samples).
Recording read_recording(const std::filesystem::path& file, RecordingFormat format = RecordingFormat::automatic);
// `source` names the stream in error messages.
Recording read_recording(std::istream& in, const std::string& source,
                         RecordingFormat format = RecordingFormat::automatic);

// Calibrated CSV, version 1, with the version comment. Values are written in
// the shortest form that reads back to the same double. Throws
// RecordingError if the recording has no Fz/COP columns or the file cannot be written.
void write_calibrated_csv(std::ostream& out, const Recording& recording);
void write_calibrated_csv(const std::filesystem::path& file, const Recording& recording);

}  // namespace kiosk::signal
