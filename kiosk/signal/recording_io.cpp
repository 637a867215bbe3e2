#include "signal/recording_io.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

namespace kiosk::signal {
namespace {

constexpr std::string_view kVersionTag = "# kiosk-recording";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto end = line.find(sep, start);
    out.push_back(trim(line.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// What the header told us: which field feeds which column.
struct Layout {
  enum class Kind { calibrated, cells, bds } kind = Kind::calibrated;
  char separator = ',';
  std::size_t fields = 0;  // every data line must have exactly this many
  std::size_t t = 0, fz = 0, x = 0, y = 0;
  std::array<std::size_t, kCellCount> cell{};
  std::array<std::string, kCellCount + 1> names;  // for messages: t, fz|c0, x|c1, ...
  double cop_scale = 1;                           // to mm
};

std::optional<std::size_t> find_column(const std::vector<std::string_view>& header, std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

class Parser {
 public:
  Parser(std::string source, RecordingFormat format) : source_(std::move(source)), format_(format) {}

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    if (line == 0) throw RecordingError(fmt::format("{}: {}", source_, what));
    throw RecordingError(fmt::format("{}:{}: {}", source_, line, what));
  }

  Layout parse_header(std::string_view text, std::size_t line) {
    const bool tabbed = text.find('\t') != std::string_view::npos;
    const auto header = split(text, tabbed ? '\t' : ',');
    Layout l;
    l.separator = tabbed ? '\t' : ',';
    l.fields = header.size();
    auto need = [&](std::string_view name) {
      const auto at = find_column(header, name);
      if (!at) fail(line, fmt::format("missing column '{}' in header '{}'", name, text));
      return *at;
    };
    const bool looks_bds = find_column(header, "Time[s]").has_value();
    if (format_ == RecordingFormat::bds || (format_ == RecordingFormat::automatic && looks_bds)) {
      if (!tabbed && header.size() > 1) fail(line, "a BDS file is tab-separated");
      l.kind = Layout::Kind::bds;
      l.t = need("Time[s]");
      l.fz = need("Fz[N]");
      l.x = need("COPx[cm]");
      l.y = need("COPy[cm]");
      l.names = {"Time[s]", "Fz[N]", "COPx[cm]", "COPy[cm]", ""};
      l.cop_scale = 10;  // cm → mm
      return l;
    }
    if (looks_bds) fail(line, "this is a BDS file; use format 'bds' or 'auto'");
    if (tabbed) fail(line, "expected a comma-separated header");
    l.t = need("t_s");
    if (find_column(header, "c0")) {
      l.kind = Layout::Kind::cells;
      for (std::size_t c = 0; c < kCellCount; ++c) {
        l.names[c + 1] = fmt::format("c{}", c);
        l.cell[c] = need(l.names[c + 1]);
      }
      l.names[0] = "t_s";
      return l;
    }
    l.fz = need("fz_n");
    l.x = need("cop_x_mm");
    l.y = need("cop_y_mm");
    l.names = {"t_s", "fz_n", "cop_x_mm", "cop_y_mm", ""};
    return l;
  }

  double number(std::string_view field, std::size_t line, const std::string& column) const {
    double v = 0;
    const auto* first = field.data();
    const auto* last = field.data() + field.size();
    if (!field.empty() && *first == '+') ++first;  // from_chars refuses a leading '+'
    const auto [end, ec] = std::from_chars(first, last, v);
    if (field.empty() || ec != std::errc() || end != last || !std::isfinite(v))
      fail(line, fmt::format("{} is not a finite number (got '{}')", column, field));
    return v;
  }

  void check_version(std::string_view comment, std::size_t line) const {
    if (comment.substr(0, kVersionTag.size()) != kVersionTag) return;
    const auto rest = trim(comment.substr(kVersionTag.size()));
    if (rest != fmt::format("{}", kRecordingCsvVersion))
      fail(line, fmt::format("recording format version '{}' is not supported (this program reads {})", rest,
                             kRecordingCsvVersion));
  }

  Recording parse(std::istream& in) {
    Recording rec;
    rec.source = source_;
    std::optional<Layout> layout;
    std::string raw;
    std::size_t line = 0;
    while (std::getline(in, raw)) {
      ++line;
      const auto text = trim(raw);
      if (text.empty()) continue;
      if (!layout && text.front() == '#') {
        check_version(text, line);
        continue;
      }
      if (!layout) {
        layout = parse_header(text, line);
        continue;
      }
      add_row(rec, *layout, text, line);
    }
    if (in.bad()) fail(line, "read error");
    if (!layout) fail(0, "empty file (no header line)");
    if (rec.size() < kMinRecordingSamples)
      fail(0, fmt::format("too few samples ({}; at least {} needed)", rec.size(), kMinRecordingSamples));
    return rec;
  }

 private:
  void add_row(Recording& rec, const Layout& l, std::string_view text, std::size_t line) {
    const auto f = split(text, l.separator);
    if (f.size() != l.fields) fail(line, fmt::format("expected {} fields, got {}", l.fields, f.size()));
    const double t = number(f[l.t], line, l.names[0]);
    if (!rec.t_s.empty() && !(t > rec.t_s.back()))
      fail(line, fmt::format("time does not increase ({} after {})", t, rec.t_s.back()));
    if (l.kind == Layout::Kind::cells) {
      CellValues c{};
      for (std::size_t i = 0; i < kCellCount; ++i) c[i] = number(f[l.cell[i]], line, l.names[i + 1]);
      rec.t_s.push_back(t);
      rec.cells.push_back(c);
      return;
    }
    rec.push_back({t, number(f[l.fz], line, l.names[1]), number(f[l.x], line, l.names[2]) * l.cop_scale,
                   number(f[l.y], line, l.names[3]) * l.cop_scale});
  }

  std::string source_;
  RecordingFormat format_;
};

}  // namespace

RecordingFormat parse_recording_format(const std::string& name) {
  if (name == "csv") return RecordingFormat::csv;
  if (name == "bds") return RecordingFormat::bds;
  if (name == "auto") return RecordingFormat::automatic;
  throw RecordingError(fmt::format("unknown recording format '{}' (csv, bds or auto)", name));
}

Recording read_recording(std::istream& in, const std::string& source, RecordingFormat format) {
  return Parser(source, format).parse(in);
}

Recording read_recording(const std::filesystem::path& file, RecordingFormat format) {
  std::ifstream in(file);
  if (!in) throw RecordingError(fmt::format("{}: cannot open file", file.string()));
  return read_recording(in, file.string(), format);
}

void write_calibrated_csv(std::ostream& out, const Recording& rec) {
  if (!rec.has_load() || rec.fz_n.size() != rec.cop_x_mm.size() || rec.fz_n.size() != rec.cop_y_mm.size())
    throw RecordingError(fmt::format("{}: no force/COP columns to write", rec.source));
  out << kVersionTag << ' ' << kRecordingCsvVersion << "\nt_s,fz_n,cop_x_mm,cop_y_mm\n";
  fmt::memory_buffer line;
  for (std::size_t i = 0; i < rec.size(); ++i) {
    line.clear();
    fmt::format_to(std::back_inserter(line), "{},{},{},{}\n", rec.t_s[i], rec.fz_n[i], rec.cop_x_mm[i],
                   rec.cop_y_mm[i]);
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

void write_calibrated_csv(const std::filesystem::path& file, const Recording& rec) {
  std::ofstream out(file, std::ios::binary);
  if (!out) throw RecordingError(fmt::format("{}: cannot create file", file.string()));
  write_calibrated_csv(out, rec);
  out.flush();
  if (!out) throw RecordingError(fmt::format("{}: write failed", file.string()));
}

}  // namespace kiosk::signal
