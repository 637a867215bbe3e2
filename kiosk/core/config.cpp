#include "core/config.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "core/text_catalog.h"

namespace kiosk {
namespace {

using Apply = std::function<void(const toml::node&, Config&)>;

struct Reader {
  std::string_view source;
  std::string_view key;

  [[noreturn]] void fail(const toml::node& node, std::string_view problem) const {
    throw ConfigError(fmt::format("{}:{}: {}: {}", source, node.source().begin.line, key, problem));
  }
  std::string text(const toml::node& node, size_t max_len = 1024) const {
    auto s = node.value<std::string>();
    if (!node.is_string() || !s) fail(node, "must be text in quotes");
    if (s->size() > max_len) fail(node, fmt::format("must be at most {} characters", max_len));
    return *s;
  }
  int64_t whole(const toml::node& node, int64_t lo, int64_t hi) const {
    auto v = node.value<int64_t>();
    if (!node.is_integer() || !v || *v < lo || *v > hi) {
      fail(node, fmt::format("must be a whole number from {} to {} (got {})", lo, hi, describe(node)));
    }
    return *v;
  }
  double real(const toml::node& node, double lo, double hi) const {
    auto v = node.value<double>();
    if (!node.is_number() || !v || !(*v >= lo && *v <= hi))
      fail(node, fmt::format("must be a number from {} to {} (got {})", lo, hi, describe(node)));
    return *v;
  }
  std::string one_of(const toml::node& node, std::initializer_list<std::string_view> allowed) const {
    std::string v = text(node);
    for (auto a : allowed)
      if (v == a) return v;
    fail(node, fmt::format("must be one of {} (got \"{}\")", fmt::join(allowed, ", "), v));
  }
  std::vector<std::filesystem::path> paths(const toml::node& node) const {
    const auto* arr = node.as_array();
    if (!arr) fail(node, "must be a list of folder names, e.g. [\"/opt/kiosk/plugins\"]");
    std::vector<std::filesystem::path> out;
    for (const auto& item : *arr) out.emplace_back(text(item));
    return out;
  }
  // A link for a QR code: http(s), no spaces, short enough to scan from paper.
  std::string link(const toml::node& node, bool per_exercise) const {
    std::string v = text(node, 4096);  // longer than any code: the message below says why
    if (v.empty()) return v;
    if (v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0)
      fail(node, fmt::format("must start with https:// or http://, or be empty (got \"{}\")", v));
    for (unsigned char ch : v)
      if (ch <= ' ' || ch >= 0x7f)
        fail(node, "must be a plain web address: no spaces or accents (write a space as %20)");
    std::string rest = v;
    std::size_t ids = 0;
    for (auto at = rest.find(kExercisePlaceholder); at != std::string::npos; at = rest.find(kExercisePlaceholder)) {
      rest.erase(at, kExercisePlaceholder.size());
      ++ids;
    }
    if (per_exercise && ids == 0) fail(node, "must contain {exercise}, where each card's exercise id goes");
    if ((!per_exercise && ids > 0) || rest.find_first_of("{}") != std::string::npos)
      fail(node, per_exercise ? "may hold no { } other than {exercise}"
                              : "may hold no { } ({exercise} is for exercise_link)");
    const std::size_t longest = rest.size() + ids * kExerciseIdAllowance;
    if (longest > kMaxLinkBytes)
      fail(
          node,
          fmt::format(
              "is too long for a QR code that scans from paper: at most {} characters{} (got {})", kMaxLinkBytes,
              ids ? fmt::format(" with a {}-character exercise id in place of {{exercise}}", kExerciseIdAllowance) : "",
              longest));
    return v;
  }
  static std::string describe(const toml::node& node) {
    if (auto s = node.value<std::string>(); node.is_string() && s) return "\"" + *s + "\"";
    std::ostringstream os;
    node.visit([&os](const auto& value) { os << value; });
    return os.str();
  }
};

// Every key the file may hold. The single source of truth, checked by a test
// against deploy/kiosk.example.toml.
const std::map<std::string, std::function<void(const Reader&, const toml::node&, Config&)>, std::less<>>& schema() {
  static const std::map<std::string, std::function<void(const Reader&, const toml::node&, Config&)>, std::less<>> keys{
      {"kiosk.language",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.language = r.text(n);
         if (!is_supported_language(c.language))
           r.fail(n, fmt::format("must be one of {} (got \"{}\")", fmt::join(supported_languages(), ", "), c.language));
       }},
      {"kiosk.idle_timeout_s", [](const Reader& r, const toml::node& n,
                                  Config& c) { c.idle_timeout = std::chrono::seconds(r.whole(n, 15, 900)); }},
      {"kiosk.still_there_s", [](const Reader& r, const toml::node& n,
                                 Config& c) { c.still_there = std::chrono::seconds(r.whole(n, 5, 60)); }},
      {"kiosk.volume",
       [](const Reader& r, const toml::node& n, Config& c) { c.volume = static_cast<int>(r.whole(n, 0, 100)); }},
      {"kiosk.log_level",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.log_level = r.one_of(n, {"trace", "debug", "info", "warn", "error"});
       }},
      {"kiosk.read_aloud",
       [](const Reader& r, const toml::node& n, Config& c) {
         if (!n.is_boolean()) r.fail(n, "must be true or false");
         c.read_aloud = *n.value<bool>();
       }},
      {"kiosk.high_contrast",
       [](const Reader& r, const toml::node& n, Config& c) {
         if (!n.is_boolean()) r.fail(n, "must be true or false");
         c.high_contrast = *n.value<bool>();
       }},
      {"clinic.name", [](const Reader& r, const toml::node& n, Config& c) { c.clinic_name = r.text(n, 80); }},
      {"clinic.logo", [](const Reader& r, const toml::node& n, Config& c) { c.clinic_logo = r.text(n); }},
      {"paths.data_dir", [](const Reader& r, const toml::node& n, Config& c) { c.data_dir = r.text(n); }},
      {"paths.assets_dir", [](const Reader& r, const toml::node& n, Config& c) { c.assets_dir = r.text(n); }},
      {"paths.plugin_dirs", [](const Reader& r, const toml::node& n, Config& c) { c.plugin_dirs = r.paths(n); }},
      {"paths.script_dirs", [](const Reader& r, const toml::node& n, Config& c) { c.script_dirs = r.paths(n); }},
      {"printing.printer", [](const Reader& r, const toml::node& n, Config& c) { c.printer = r.text(n); }},
      {"printing.paper",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.paper = r.one_of(n, {"a4", "letter"});
       }},
      {"handout.exercise_link",
       [](const Reader& r, const toml::node& n, Config& c) { c.exercise_link = r.link(n, true); }},
      {"handout.sheet_link", [](const Reader& r, const toml::node& n, Config& c) { c.sheet_link = r.link(n, false); }},
      {"staff.pin_hash",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.staff_pin_hash = r.text(n);
         if (!c.staff_pin_hash.empty() && c.staff_pin_hash.rfind("$argon2id$", 0) != 0)
           r.fail(n,
                  "must be an argon2id hash (starts with $argon2id$); make one with "
                  "`kioskctl staff set-pin`");
       }},
      {"screening.min_age", [](const Reader& r, const toml::node& n,
                               Config& c) { c.screening_min_age = static_cast<int>(r.whole(n, 0, 120)); }},
      {"screening.balance_skip_from_age",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.balance_skip_from_age = static_cast<int>(r.whole(n, 0, 120));
       }},
      {"records.store",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.records = r.one_of(n, {"results", "none"}) == "none" ? RecordsMode::none : RecordsMode::results;
       }},
      {"records.retention_days", [](const Reader& r, const toml::node& n,
                                    Config& c) { c.retention_days = static_cast<int>(r.whole(n, 1, 3650)); }},
      {"calibration.expiry_days", [](const Reader& r, const toml::node& n,
                                     Config& c) { c.calibration_expiry_days = static_cast<int>(r.whole(n, 1, 3650)); }},
      {"calibration.force_tolerance_pct",
       [](const Reader& r, const toml::node& n, Config& c) { c.calibration_force_tolerance_pct = r.real(n, 0.1, 10); }},
      {"calibration.cop_tolerance_mm",
       [](const Reader& r, const toml::node& n, Config& c) { c.calibration_cop_tolerance_mm = r.real(n, 0.5, 50); }},
      {"calibration.mass_kg",
       [](const Reader& r, const toml::node& n, Config& c) { c.calibration_mass_kg = r.real(n, 1, 200); }},
      {"calibration.marks_file",
       [](const Reader& r, const toml::node& n, Config& c) { c.calibration_marks_file = r.text(n); }},
      {"plates.call_deadline_ms",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.plate_call_deadline = std::chrono::milliseconds(r.whole(n, 100, 30000));
       }},
      {"fhir.base_url",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.fhir.base_url = r.text(n);
         if (!c.fhir.base_url.empty() && c.fhir.base_url.rfind("https://", 0) != 0 &&
             c.fhir.base_url.rfind("http://", 0) != 0)
           r.fail(n, "must start with https:// (or http:// on a private network), or be empty");
       }},
      {"fhir.auth",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.fhir.auth = r.one_of(n, {"none", "bearer", "smart"});
       }},
      {"fhir.bearer_token_file",
       [](const Reader& r, const toml::node& n, Config& c) { c.fhir.bearer_token_file = r.text(n); }},
      {"fhir.token_url", [](const Reader& r, const toml::node& n, Config& c) { c.fhir.token_url = r.text(n); }},
      {"fhir.client_id", [](const Reader& r, const toml::node& n, Config& c) { c.fhir.client_id = r.text(n, 256); }},
      {"fhir.scope", [](const Reader& r, const toml::node& n, Config& c) { c.fhir.scope = r.text(n, 512); }},
      {"fhir.private_key_file",
       [](const Reader& r, const toml::node& n, Config& c) { c.fhir.private_key_file = r.text(n); }},
      {"fhir.key_algorithm",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.fhir.key_algorithm = r.one_of(n, {"ES384", "RS384"});
       }},
      {"fhir.ca_bundle", [](const Reader& r, const toml::node& n, Config& c) { c.fhir.ca_bundle = r.text(n); }},
      {"fhir.connect_timeout_s", [](const Reader& r, const toml::node& n,
                                    Config& c) { c.fhir.connect_timeout_s = static_cast<int>(r.whole(n, 1, 300)); }},
      {"fhir.request_timeout_s", [](const Reader& r, const toml::node& n,
                                    Config& c) { c.fhir.request_timeout_s = static_cast<int>(r.whole(n, 1, 3600)); }},
      {"fhir.backoff_first_s",
       [](const Reader& r, const toml::node& n, Config& c) { c.fhir.backoff_first_s = r.real(n, 0.1, 3600); }},
      {"fhir.backoff_max_s",
       [](const Reader& r, const toml::node& n, Config& c) { c.fhir.backoff_max_s = r.real(n, 0.1, 86400); }},
      {"fhir.bundle_max_entries", [](const Reader& r, const toml::node& n,
                                     Config& c) { c.fhir.bundle_max_entries = static_cast<int>(r.whole(n, 1, 1000)); }},
      {"fhir.purge_unsent",
       [](const Reader& r, const toml::node& n, Config& c) {
         if (!n.is_boolean()) r.fail(n, "must be true or false");
         c.fhir.purge_unsent = *n.value<bool>();
       }},
      {"fhir.visit_code_as",
       [](const Reader& r, const toml::node& n, Config& c) {
         c.fhir.visit_code_as = r.one_of(n, {"off", "encounter", "patient"});
       }},
      {"fhir.visit_code_system",
       [](const Reader& r, const toml::node& n, Config& c) { c.fhir.visit_code_system = r.text(n); }},
  };
  return keys;
}

void apply_table(const toml::table& table, const std::string& prefix, std::string_view source, Config& config) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table(); sub && prefix.empty()) {
      apply_table(*sub, key, source, config);
      continue;
    }
    const auto& keys = schema();
    auto it = keys.find(key);
    if (it == keys.end()) {
      throw ConfigError(
          fmt::format("{}:{}: {}: unknown key (see deploy/kiosk.example.toml)", source, node.source().begin.line, key));
    }
    it->second(Reader{source, key}, node, config);
  }
}

// Keys of [fhir] that only make sense together.
void check_fhir(const FhirConfig& f, std::string_view source) {
  auto need = [&](bool ok, std::string_view what) {
    if (!ok) throw ConfigError(fmt::format("{}: fhir: {}", source, what));
  };
  need(f.auth != "bearer" || !f.bearer_token_file.empty(), "auth = \"bearer\" needs bearer_token_file");
  need(f.auth != "smart" || (!f.token_url.empty() && !f.client_id.empty()),
       "auth = \"smart\" needs token_url and client_id");
  need(f.visit_code_as == "off" || !f.visit_code_system.empty(),
       "visit_code_as needs visit_code_system (the clinic's identifier system URI)");
  need(f.backoff_first_s <= f.backoff_max_s, "backoff_first_s must not exceed backoff_max_s");
}

}  // namespace

Config parse_config(std::string_view toml_text, std::string_view source) {
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
  }
  Config config;
  apply_table(table, "", source, config);
  check_fhir(config.fhir, source);
  return config;
}

std::vector<std::string> config_keys() {
  std::vector<std::string> out;
  for (const auto& [key, apply] : schema()) out.push_back(key);
  return out;
}

Config load_config_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read the config file", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file.string());
}

std::filesystem::path choose_config_file(const std::filesystem::path& from_cli) {
  if (!from_cli.empty()) return from_cli;
  if (const char* env = std::getenv("KIOSK_CONFIG"); env && *env) return env;
  std::filesystem::path system_file = "/etc/kiosk/kiosk.toml";
  std::error_code ec;
  if (std::filesystem::exists(system_file, ec)) return system_file;
  return {};
}

}  // namespace kiosk
