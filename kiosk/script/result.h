// What a script run produces, and the metadata a script declares (API v1).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/session/session.h"
#include "script/chart.h"
#include "script/text.h"

namespace kiosk::script {

enum class PlateUse { none, optional, required };
std::string_view to_string(PlateUse use);

// The table a script file returns, minus `run`.
struct TestInfo {
  int api = 0;
  std::string id;             // stable script id, e.g. "knee_to_wall"
  std::string version;        // the script's own version, e.g. "1.0.0"
  std::string kind = "test";  // "screening" | "profile" | "test": its place in a session
  LocalText title;
  PlateUse plate = PlateUse::none;
  std::vector<std::string> sides;  // "left", "right" (empty: not sided)
  int order = 100;                 // session order, smallest first
  // Every finding id run() may return (empty: not declared, nothing checked),
  // and those that mean "see the team, do not train this" (the plan must say so).
  std::vector<std::string> findings, refer_findings;
  std::optional<ChartSpec> chart;  // how its main measure is drawn (chart = kiosk.chart { ... })
  int run_line = 0;                // where run() is defined (for errors in what it returns)
};

using session::Measure;

struct TestResult {
  std::string test;     // TestInfo::id
  std::string version;  // TestInfo::version
  std::vector<Measure> measures;
  std::vector<std::string> findings;  // stable finding ids
  std::vector<std::string> flags;     // session control: "stop_session", "skip:<script id>"
  LocalText interpretation;           // plain words per language
  session::Answers answers;           // ask id → answer as the script got it
  std::optional<session::PlateUsed> plate =
      std::nullopt;  // the plate of the run's last live capture (CaptureResult::plate)
};

// The result as the session keeps it: the interpretation in `lang`.
session::ScriptPart to_part(const TestResult& result, std::string_view lang);

}  // namespace kiosk::script
