// `kioskctl handout plan --results session.json [--lang es]`
//   prints the plan JSON (handout/plan.h: refer, exercises, advice, ...).
// Exit 0; 1 when the rules failed (file:line on stderr); 2 for a bad input file.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "core/text_catalog.h"
#include "handout/assets.h"
#include "handout/plan.h"
#include "kioskctl/command.h"
#include "kioskctl/script_input.h"

namespace kiosk::ctl {
namespace {

struct HandoutArgs {
  std::filesystem::path results;
  std::string lang = "en";
};

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

int plan_command(const Context& ctx, const HandoutArgs& args) {
  const auto rt = ctx.start();
  const auto assets = load_assets(rt);
  const auto session = read_session_file(args.results);
  try {
    const auto plan = handout::make_plan(assets, session, args.lang);
    std::puts(handout::plan_json(assets, plan).dump(2).c_str());
    return kExitOk;
  } catch (const handout::PlanError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitFailed;
  }
}

void add_lang_option(CLI::App* cmd, std::string& lang) {
  cmd->add_option("--lang", lang, "Language of the handout (en, es)")
      ->check([](const std::string& l) { return is_supported_language(l) ? "" : "unsupported language"; });
}

}  // namespace

void register_handout_commands(CLI::App& app, Context& ctx) {
  auto* handout = app.add_subcommand("handout", "The take-home exercise handout: plan, PDF, printing")
                      ->require_subcommand(1);
  auto args = std::make_shared<HandoutArgs>();
  auto* plan = handout->add_subcommand("plan", "Run the handout rules on a session; print the plan JSON");
  plan->add_option("--results", args->results, "Session JSON, as `kioskctl session run` prints it")->required();
  add_lang_option(plan, args->lang);
  plan->callback([&ctx, args] { ctx.exit_code = guarded([&] { return plan_command(ctx, *args); }); });
}

}  // namespace kiosk::ctl
