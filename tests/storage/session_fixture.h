// Real session documents for storage and export tests: the bundled scripts
// run headless on the answers fixtures (tests/fixtures/answers/).
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/session/session_json.h"
#include "core/storage/session_store.h"
#include "script/catalogue.h"
#include "script/run_session.h"

namespace kiosk::test {

// script::run_session on tests/fixtures/answers/<name>.
inline session::Session fixture_session(const std::string& name, const std::string& lang = "en") {
  script::SessionInput input;
  input.answers = script::AnswerBook::read(std::filesystem::path(KIOSK_SOURCE_DIR) / "tests/fixtures/answers" / name);
  input.lang = lang;
  script::Catalogue catalogue({std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"});
  catalogue.scan();
  return script::run_session(catalogue, input).session;
}

// A record of that session ended at `ended` (a minute long), with a plan and
// a fake "PDF" of `pdf_bytes` bytes whose content depends on `seed`.
inline storage::SessionRecord fixture_record(const session::Session& session, kiosk::WallClock::time_point ended,
                                             size_t pdf_bytes = 0, unsigned seed = 1) {
  storage::SessionRecord r;
  r.started_at = ended - std::chrono::minutes(1);
  r.ended_at = ended;
  r.session = session;
  r.outcome = session.safety.allows_tests() ? storage::Outcome::completed : storage::Outcome::red_flag;
  if (pdf_bytes > 0) {
    r.plan = nlohmann::json{{"exercises", {"calf_stretch_wall", "heel_raise_progression"}}, {"seed", seed}}.dump();
    r.print = storage::PrintStatus::printed;
    r.handout_pdf.resize(pdf_bytes);
    for (size_t i = 0; i < pdf_bytes; ++i) r.handout_pdf[i] = static_cast<std::uint8_t>((i * 31 + seed) & 0xff);
  }
  return r;
}

}  // namespace kiosk::test
