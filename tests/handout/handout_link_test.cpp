// The clinic's links as QR codes on the handout, read back as a phone would:
// the real PDF rasterised by pdftoppm and the codes decoded by zbarimg
// (zbar-tools). Sessions come from the real `kioskctl session run`.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "core/config.h"
#include "core/session/session_json.h"
#include "handout/plan.h"
#include "handout/qr_code.h"
#include "handout/render.h"
#include "support/bundled_assets.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace kiosk;
using namespace kiosk::handout;

namespace {

const std::filesystem::path kLinkSource = KIOSK_SOURCE_DIR;

// The session `kioskctl session run` makes from an answers fixture.
session::Session session_of(const test::TempDir& dir, const std::string& answers) {
  const auto out = dir / (answers + ".session.json");
  auto r = test::run(fmt::format("{} --data-dir '{}' session run --answers '{}' > '{}'", test::program("kioskctl"),
                                 dir.path().string(), (kLinkSource / "tests/fixtures/answers" / answers).string(),
                                 out.string()));
  REQUIRE(r.exit_code == 0);
  return session::session_from_json(nlohmann::json::parse(std::ifstream(out)));
}

// Every QR code on every page, as a phone camera reads them (one entry per code).
std::multiset<std::string> codes_in(const std::filesystem::path& pdf) {
  const auto pages = pdf.parent_path() / (pdf.stem().string() + "-page");
  REQUIRE(test::run(fmt::format("pdftoppm -r 200 -gray -png '{}' '{}'", pdf.string(), pages.string())).exit_code == 0);
  // --raw: the data only; exit 4: no code on any page.
  const auto r = test::run(fmt::format("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '{}'-*.png", pages.string()));
  REQUIRE((r.exit_code == 0 || r.exit_code == 4));
  std::multiset<std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

RenderOptions options_from(const std::string& toml) {
  RenderOptions o = render_options(parse_config(toml, "kiosk.toml"));
  o.today = std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(3), std::chrono::day(4)};
  return o;
}

const std::string kLinks = R"([handout]
exercise_link = "https://clinic.example/exercises/{exercise}?from=kiosk"
sheet_link = "https://clinic.example/book"
)";

}  // namespace

TEST_CASE("link: each exercise gets a code that decodes to its own page, and the sheet one to its page") {
  test::TempDir dir;
  for (auto lang : {"en", "es"}) {
    const Plan plan =
        make_plan(test::bundled_assets(), session_of(dir, "pattern_calf_weak.json"), lang, test::bundled_charts());
    REQUIRE_FALSE(plan.refer);
    REQUIRE(plan.exercises.size() >= 4);
    const auto pdf = dir / fmt::format("links-{}.pdf", lang);
    REQUIRE(render_pdf(test::bundled_assets(), plan, options_from(kLinks), pdf).pages >= 1);

    std::multiset<std::string> expected{"https://clinic.example/book"};
    for (const auto& e : plan.exercises)
      expected.insert(fmt::format("https://clinic.example/exercises/{}?from=kiosk", e.card->id));
    INFO(lang);
    CHECK(codes_in(pdf) == expected);
    const auto text = test::run("pdftotext '" + pdf.string() + "' -").out;
    for (auto key : {"link.title_exercises", "link.sheet"})
      CHECK(text.find(std::string(test::bundled_assets().texts.get(lang, key)).substr(0, 15)) != std::string::npos);
  }
}

TEST_CASE("link: a six-exercise plan still prints on two pages, with every code or (no room) none, never some") {
  test::TempDir dir;
  for (auto lang : {"en", "es"}) {
    const Plan plan =
        make_plan(test::bundled_assets(), session_of(dir, "session_full.json"), lang, test::bundled_charts());
    REQUIRE(plan.exercises.size() == 6);
    const auto pdf = dir / fmt::format("six-{}.pdf", lang);
    REQUIRE(render_pdf(test::bundled_assets(), plan, options_from(kLinks), pdf).pages == 2);
    const auto codes = codes_in(pdf);
    INFO(lang);
    CHECK((codes.empty() || codes.size() == 7));
  }
}

TEST_CASE("link: only the sheet's code when only the sheet link is set, only the cards' when only theirs") {
  test::TempDir dir;
  const Plan plan =
      make_plan(test::bundled_assets(), session_of(dir, "session_full.json"), "en", test::bundled_charts());
  REQUIRE(render_pdf(test::bundled_assets(), plan, options_from("[handout]\nsheet_link = \"http://10.0.0.5/book\"\n"),
                     dir / "sheet.pdf")
              .pages >= 1);
  CHECK(codes_in(dir / "sheet.pdf") == std::multiset<std::string>{"http://10.0.0.5/book"});
  const auto text = test::run("pdftotext '" + (dir / "sheet.pdf").string() + "' -").out;
  CHECK(text.find(std::string(test::bundled_assets().texts.get("en", "link.title_sheet"))) != std::string::npos);
  REQUIRE(render_pdf(test::bundled_assets(), plan,
                     options_from("[handout]\nexercise_link = \"https://c.example/v/{exercise}\"\n"), dir / "cards.pdf")
              .pages >= 1);
  CHECK(codes_in(dir / "cards.pdf").size() == plan.exercises.size());
}

TEST_CASE("link: with no link configured no code is drawn") {
  test::TempDir dir;
  const Plan plan =
      make_plan(test::bundled_assets(), session_of(dir, "session_full.json"), "en", test::bundled_charts());
  REQUIRE(render_pdf(test::bundled_assets(), plan, options_from(""), dir / "plain.pdf").pages >= 1);
  CHECK(codes_in(dir / "plain.pdf").empty());
}

TEST_CASE("link: a refer sheet has no exercises and no code, even with both links set") {
  test::TempDir dir;
  const Plan plan =
      make_plan(test::bundled_assets(), session_of(dir, "session_red_flag.json"), "en", test::bundled_charts());
  REQUIRE(plan.refer);
  CHECK(plan.exercises.empty());
  REQUIRE(render_pdf(test::bundled_assets(), plan, options_from(kLinks), dir / "refer.pdf").pages == 1);
  CHECK(codes_in(dir / "refer.pdf").empty());
}

TEST_CASE("link: the exercise id is filled in, percent-encoded where a URL needs it") {
  CHECK(exercise_link("https://c.example/{exercise}", "calf_stretch_step") == "https://c.example/calf_stretch_step");
  CHECK(exercise_link("https://c.example/{exercise}#{exercise}", "a b/é") ==
        "https://c.example/a%20b%2F%C3%A9#a%20b%2F%C3%A9");
}

TEST_CASE("link: a link longer than a code that scans from paper gets no code, not a crash") {
  CHECK(encode_qr(std::string(kMaxLinkBytes, 'a')).has_value());
  CHECK_FALSE(encode_qr(std::string(kMaxLinkBytes + 1, 'a')).has_value());
  CHECK_FALSE(encode_qr("").has_value());
  // Every bundled exercise id fits the allowance the config check assumes.
  for (const auto& e : test::bundled_assets().library.all()) CHECK(e.id.size() <= kExerciseIdAllowance);
}

TEST_CASE("link: kioskctl handout render prints the config's codes, and refuses a bad link naming the line") {
  test::TempDir dir;
  session_of(dir, "pattern_calf_weak.json");  // writes pattern_calf_weak.json.session.json
  const auto session = dir / "pattern_calf_weak.json.session.json";
  std::ofstream(dir / "k.toml") << "[handout]\nsheet_link = \"https://clinic.example/book?kiosk=1\"\n";
  auto r = test::run(fmt::format("{} --config '{}' --data-dir '{}' handout render --results '{}' --out '{}'",
                                 test::program("kioskctl"), (dir / "k.toml").string(), dir.path().string(),
                                 session.string(), (dir / "cli.pdf").string()));
  REQUIRE(r.exit_code == 0);
  CHECK(codes_in(dir / "cli.pdf") == std::multiset<std::string>{"https://clinic.example/book?kiosk=1"});

  std::ofstream(dir / "bad.toml") << "[handout]\n\nexercise_link = \"www.clinic.example/{exercise}\"\n";
  r = test::run(fmt::format("{} --config '{}' --data-dir '{}' handout render --results '{}' --out '{}'",
                            test::program("kioskctl"), (dir / "bad.toml").string(), dir.path().string(),
                            session.string(), (dir / "bad.pdf").string()));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("bad.toml:3: handout.exercise_link: must start with https:// or http://") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "bad.pdf"));
}
