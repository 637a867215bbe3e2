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

// [handout] links, printed as QR codes. A link must fit a code that scans
// from paper at 22 mm: at most 150 bytes is QR version 8 at error level M
// (152 bytes, 49 modules of 0.45 mm).
inline constexpr std::size_t kMaxLinkBytes = 150;
inline constexpr std::string_view kExercisePlaceholder = "{exercise}";
inline constexpr std::size_t kExerciseIdAllowance = 32;  // an exercise id's length the config check allows for

enum class RecordsMode { results, none };  // what is kept of a session in the database

// [fhir]: the outbox to the clinic's FHIR R4 server (core/fhir/).
struct FhirConfig {
  std::string base_url;                     // e.g. "https://fhir.clinic.example/fhir"; empty: queue kept, nothing sent
  std::string auth = "none";                // "none", "bearer" or "smart"
  std::filesystem::path bearer_token_file;  // bearer: a file holding the token (never the token itself here)
  std::string token_url;                    // smart: the server's OAuth 2.0 token endpoint
  std::string client_id;                    // smart: this kiosk's client id, as registered
  std::string scope = "system/*.write";     // smart: the scopes asked for
  std::filesystem::path
      private_key_file;  // smart: PEM key (kioskctl fhir keygen); empty → <data_dir>/fhir-client-key.pem
  std::string key_algorithm = "ES384";  // smart: "ES384" or "RS384"
  std::filesystem::path ca_bundle;      // PEM CA certificates; empty → the system's
  int connect_timeout_s = 10;
  int request_timeout_s = 60;         // a whole request, connect to last byte
  double backoff_first_s = 10;        // wait after the first failure; doubles each time ...
  double backoff_max_s = 1800;        // ... up to this (with jitter: each wait is 50-100 % of it)
  int bundle_max_entries = 8;         // entries per transaction Bundle (a session may take several)
  bool purge_unsent = false;          // retention may delete sessions the server has not taken
  std::string visit_code_as = "off";  // send the reception's visit code as "off", "encounter" or "patient" identifier;
                                      // "off" also hides the welcome screen's code button and the export's code
  std::string visit_code_system;      // the identifier system of that code (the clinic's URI)

  bool operator==(const FhirConfig&) const = default;
};

struct Config {
  // [kiosk]
  std::string language = "en";            // language the attract screen starts in
  std::chrono::seconds idle_timeout{90};  // no touch for this long → "are you still there?"
  std::chrono::seconds still_there{15};   // ... asked for this long, then the session is wiped
  int volume = 70;                        // sounds (countdown, metronome, done): 0 silent to 100 full
  std::string log_level = "info";
  bool read_aloud = false;     // each patient screen is read aloud as it appears ("Read to me" is always there)
  bool high_contrast = false;  // black on white, yellow-on-black buttons, for poor eyesight
  // [clinic]
  std::string clinic_name;            // empty → a neutral title from the text assets
  std::filesystem::path clinic_logo;  // PNG or SVG; empty → none
  // [paths] — empty means "the default" (see paths.h)
  std::filesystem::path data_dir;
  std::filesystem::path assets_dir;
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<std::filesystem::path> script_dirs;
  // [printing]
  std::string printer;  // CUPS queue or ipp:// URI; empty → PDF in data dir
  std::string paper = "a4";
  // [handout] — empty: no QR code
  std::string exercise_link;  // URL template, {exercise} → the card's id; a code on each exercise card
  std::string sheet_link;     // one URL for the sheet (e.g. the clinic's booking page); a code near its end
  // [staff]
  std::string staff_pin_hash;  // argon2id hash; empty → staff screens cannot be opened
  // [screening] — given to scripts as t.clinic
  int screening_min_age = 18;     // an age band starting below this routes to staff
  int balance_skip_from_age = 0;  // single-leg balance skipped from this age; 0: never
  // [records]
  RecordsMode records = RecordsMode::results;
  int retention_days = 30;
  // [calibration]
  int calibration_expiry_days = 180;             // a plate's calibration is in force this long
  double calibration_force_tolerance_pct = 1;    // verification: |force error| at every mark, %
  double calibration_cop_tolerance_mm = 5;       // verification: COP error at every mark, mm
  double calibration_mass_kg = 20;               // the known mass the technician screen asks for
  std::filesystem::path calibration_marks_file;  // empty → the five standard marks shipped with the kiosk
  // [plates]
  std::chrono::milliseconds plate_call_deadline{2000};  // a plate host that misses it is killed and restarted
  // [fhir]
  FhirConfig fhir;

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
