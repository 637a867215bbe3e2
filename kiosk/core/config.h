// The kiosk's configuration: one TOML file, every key documented with its
// default in deploy/kiosk.example.toml. A bad value is an error naming the
// file, line and key; the program refuses to start rather than guess.
#pragma once
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

enum class RecordsMode { results, none };  // what is kept of a session in the database

struct Config {
  // [kiosk]
  std::string language = "en";              // language the attract screen starts in
  std::chrono::seconds idle_timeout{90};    // no touch for this long → "are you still there?"
  std::chrono::seconds still_there{15};     // ... asked for this long, then the session is wiped
  int volume = 70;                          // sounds (countdown, metronome, done): 0 silent to 100 full
  std::string log_level = "info";
  // [clinic]
  std::string clinic_name;                   // empty → a neutral title from the text assets
  std::filesystem::path clinic_logo;         // PNG or SVG; empty → none
  // [paths] — empty means "the default" (see paths.h)
  std::filesystem::path data_dir;
  std::filesystem::path assets_dir;
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<std::filesystem::path> script_dirs;
  // [printing]
  std::string printer;                       // CUPS queue or ipp:// URI; empty → PDF in data dir
  std::string paper = "a4";
  // [staff]
  std::string staff_pin_hash;                // argon2id hash; empty → staff screens cannot be opened
  // [records]
  RecordsMode records = RecordsMode::results;
  int retention_days = 30;
  // [calibration]
  int calibration_expiry_days = 180;          // a plate's calibration is in force this long
  double calibration_force_tolerance_pct = 1; // verification: |force error| at every mark, %
  double calibration_cop_tolerance_mm = 5;    // verification: COP error at every mark, mm
  double calibration_mass_kg = 20;            // the known mass the technician screen asks for
  std::filesystem::path calibration_marks_file;  // empty → the five standard marks shipped with the kiosk
  // [plates]
  std::chrono::milliseconds plate_call_deadline{2000};  // a plate host that misses it is killed and restarted

  bool operator==(const Config&) const = default;
};

// "kiosk.toml:12: kiosk.idle_timeout_s: must be a whole number from 15 to 900 (got 5)"
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses TOML text; `source` names it in errors. Throws ConfigError.
Config parse_config(std::string_view toml_text, std::string_view source);
// Reads and parses a file. Throws ConfigError (also for an unreadable file).
Config load_config_file(const std::filesystem::path& file);

// Every key the file may hold ("kiosk.language", ...), sorted.
std::vector<std::string> config_keys();

// Which file to read: --config if given, else $KIOSK_CONFIG, else
// /etc/kiosk/kiosk.toml when present; nullopt → built-in defaults.
std::filesystem::path choose_config_file(const std::filesystem::path& from_cli);

}  // namespace kiosk
