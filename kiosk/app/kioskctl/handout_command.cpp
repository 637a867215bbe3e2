// `kioskctl handout plan --results session.json [--lang es]`
//   prints the plan JSON (handout/plan.h: refer, exercises, advice, ...).
// `kioskctl handout render --results session.json --out handout.pdf [--paper a4|letter] [--lang es]
//  [--date YYYY-MM-DD]` writes the PDF; prints {"pdf","pages","bytes"}.
// `kioskctl handout check [RULES] [--json]` runs the rules (default: the
//  installed handout.lua) on every combination of the scripts' findings,
//  safety states and profile answers, and prints each plan that breaks a
//  safety rule with the session that shows it (handout/rules_check.h).
//  Exit 0: none; 1: violations (or the rules cannot run).
// `kioskctl handout print FILE [--printer URI|QUEUE]` prints a PDF (default:
//  the config's printing.printer; none → saved in <data dir>/handouts, demo
//  mode); prints one JSON line per status change {"state","failure",...}.
// Exit 0; 1 when the rules, the rendering or the printing failed (file:line on stderr);
// 2 for a bad input file or argument.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include "core/session/session_json.h"
#include "core/text_catalog.h"
#include "handout/assets.h"
#include "handout/plan.h"
#include "handout/print_job.h"
#include "handout/render.h"
#include "handout/rules_check.h"
#include "kioskctl/command.h"
#include "kioskctl/script_input.h"
#include "script/catalogue.h"
#include "script/session.h"

namespace kiosk::ctl {
namespace {

struct HandoutArgs {
  std::filesystem::path results;
  std::string lang = "en";
  std::filesystem::path out;
  std::string paper;  // empty → config printing.paper
  std::string date;   // YYYY-MM-DD; empty → today
  std::filesystem::path pdf;
  std::optional<std::string> printer;  // given → overrides the config
  std::filesystem::path rules;         // handout check: empty → the installed rules
  bool json = false;
};

std::chrono::year_month_day parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    throw InputError(fmt::format("--date {}: expected YYYY-MM-DD", text));
  std::chrono::year_month_day day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!day.ok()) throw InputError(fmt::format("--date {}: not a real date", text));
  return day;
}

nlohmann::json read_session_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("{}: cannot open the results file", file.string()));
  try {
    auto j = nlohmann::json::parse(in);
    if (!j.is_object()) throw InputError(fmt::format("{}: must be a session JSON object", file.string()));
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
}

handout::HandoutAssets load_assets(const app::Runtime& rt) {
  try {
    return handout::HandoutAssets::load(rt.paths);
  } catch (const std::exception& e) {
    throw InputError(e.what());
  }
}

// The charts the kiosk would draw: the script folders' declarations.
script::ChartCatalogue catalogue_charts(const app::Runtime& rt) {
  script::Catalogue catalogue(rt.paths.script_dirs);
  catalogue.scan();
  return catalogue.charts();
}

int plan_command(const Context& ctx, const HandoutArgs& args) {
  const auto rt = ctx.start();
  const auto assets = load_assets(rt);
  const auto session = read_session_file(args.results);
  try {
    const auto plan = handout::make_plan(assets, session::session_from_json(session), args.lang, catalogue_charts(rt));
    std::puts(handout::plan_json(assets, plan).dump(2).c_str());
    return kExitOk;
  } catch (const handout::PlanError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitFailed;
  }
}

int render_command(const Context& ctx, const HandoutArgs& args) {
  const auto rt = ctx.start();
  const auto assets = load_assets(rt);
  const auto session = read_session_file(args.results);
  handout::RenderOptions options = handout::render_options(rt.config);
  if (!args.paper.empty()) options.paper = args.paper;
  if (!args.date.empty()) options.today = parse_date(args.date);
  try {
    const auto plan = handout::make_plan(assets, session::session_from_json(session), args.lang, catalogue_charts(rt));
    const auto done = handout::render_pdf(assets, plan, options, args.out);
    nlohmann::json j{{"pdf", args.out.string()}, {"pages", done.pages}, {"bytes", done.bytes}};
    std::puts(j.dump().c_str());
    return kExitOk;
  } catch (const handout::PlanError& e) {
    std::fprintf(stderr, "%s\n", e.what());
  } catch (const handout::RenderError& e) {
    std::fprintf(stderr, "%s\n", e.what());
  }
  return kExitFailed;
}

void print_check_report(const handout::RulesCheck& r, const std::filesystem::path& rules) {
  std::printf("%s: %zu sessions (%zu finding combinations x 6 safety states), limits %d-%d exercises, %g min a day%s\n",
              rules.string().c_str(), r.sessions, r.finding_combinations, r.limits.min_exercises,
              r.limits.max_exercises, r.limits.max_daily_minutes,
              r.limits_declared ? "" : " (defaults: the rules have no limits())");
  for (const auto& v : r.violations)
    std::printf("VIOLATION: %s\n  in %zu sessions, first: %s\n", v.problem.c_str(), v.times, v.session.c_str());
  std::printf("%zu of %zu sessions break a rule; %zu still unsafe after the kiosk's own guard\n", r.violating_sessions,
              r.sessions, r.unsafe_after_guard);
}

int check_command(const Context& ctx, const HandoutArgs& args) {
  const auto rt = ctx.start();
  const auto assets = load_assets(rt);
  const auto rules = args.rules.empty() ? assets.rules_file : args.rules;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(rules, ec))
    throw InputError(fmt::format("{}: no such rules file", rules.string()));
  script::Catalogue catalogue(rt.paths.script_dirs);
  catalogue.scan();
  const auto report = handout::check_rules(assets, rules, catalogue);
  if (report.error) {
    std::fprintf(stderr, "%s\n", report.error->c_str());
    return kExitFailed;
  }
  if (args.json) {
    nlohmann::json v = nlohmann::json::array();
    for (const auto& x : report.violations)
      v.push_back({{"problem", x.problem}, {"first_session", x.session}, {"sessions", x.times}});
    nlohmann::json cards = nlohmann::json::object();
    for (const auto& card : assets.library.all()) {
      const auto it = report.card_use.find(card.id);
      cards[card.id] = it == report.card_use.end() ? 0 : it->second;
    }
    std::puts(nlohmann::json{{"rules", rules.string()},
                             {"sessions", report.sessions},
                             {"violating_sessions", report.violating_sessions},
                             {"unsafe_after_guard", report.unsafe_after_guard},
                             {"violations", v},
                             {"card_use", cards}}
                  .dump(2)
                  .c_str());
  } else {
    print_check_report(report, rules);
  }
  return report.violating_sessions == 0 && report.unsafe_after_guard == 0 ? kExitOk : kExitFailed;
}

int print_command(const Context& ctx, const HandoutArgs& args) {
  const auto rt = ctx.start();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(args.pdf, ec))
    throw InputError(fmt::format("{}: no such PDF", args.pdf.string()));
  handout::PrintRequest req;
  req.pdf = args.pdf;
  req.printer = args.printer ? *args.printer : rt.config.printer;
  req.keep_dir = rt.paths.data_dir / "handouts";
  auto job = handout::PrintJob::start(req);
  std::string last;
  for (;;) {
    const auto s = job->status();
    nlohmann::json j{{"state", handout::to_string(s.state)},
                     {"failure", handout::to_string(s.failure)},
                     {"text_key", s.patient_text_key},
                     {"job_id", s.job_id},
                     {"detail", s.detail},
                     {"saved_to", s.saved_to.string()}};
    if (auto line = j.dump(); line != last) {
      std::puts(line.c_str());
      std::fflush(stdout);
      last = line;
    }
    if (s.finished()) return s.state == handout::PrintState::done ? kExitOk : kExitFailed;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void add_lang_option(CLI::App* cmd, std::string& lang) {
  cmd->add_option("--lang", lang, "Language of the handout (en, es)")->check([](const std::string& l) {
    return is_supported_language(l) ? "" : "unsupported language";
  });
}

}  // namespace

void register_handout_commands(CLI::App& app, Context& ctx) {
  auto* handout =
      app.add_subcommand("handout", "The take-home exercise handout: plan, PDF, printing")->require_subcommand(1);
  auto args = std::make_shared<HandoutArgs>();
  auto* plan = handout->add_subcommand("plan", "Run the handout rules on a session; print the plan JSON");
  plan->add_option("--results", args->results, "Session JSON, as `kioskctl session run` prints it")->required();
  add_lang_option(plan, args->lang);
  plan->callback([&ctx, args] { ctx.exit_code = guarded([&] { return plan_command(ctx, *args); }); });

  auto* render = handout->add_subcommand("render", "Make the handout PDF for a session");
  render->add_option("--results", args->results, "Session JSON, as `kioskctl session run` prints it")->required();
  render->add_option("--out", args->out, "PDF file to write")->required();
  render->add_option("--paper", args->paper, "a4 or letter (default: the config's printing.paper)")
      ->check(CLI::IsMember({"a4", "letter"}));
  render->add_option("--date", args->date, "The date printed on it, YYYY-MM-DD (default: today)");
  add_lang_option(render, args->lang);
  render->callback([&ctx, args] { ctx.exit_code = guarded([&] { return render_command(ctx, *args); }); });

  auto* check = handout->add_subcommand(
      "check",
      "Run the handout rules on every combination of findings and safety states; list each safety rule broken");
  check->add_option("RULES", args->rules, "A rules file (default: the installed handout.lua)");
  check->add_flag("--json", args->json, "Print the report as JSON");
  check->callback([&ctx, args] { ctx.exit_code = guarded([&] { return check_command(ctx, *args); }); });

  auto* print = handout->add_subcommand("print", "Print a handout PDF; one JSON status line per change");
  print->add_option("FILE", args->pdf, "The PDF")->required();
  print->add_option("--printer", args->printer, "ipp://host:port/ipp/print or a CUPS queue (default: the config's)");
  print->callback([&ctx, args] { ctx.exit_code = guarded([&] { return print_command(ctx, *args); }); });
}

}  // namespace kiosk::ctl
