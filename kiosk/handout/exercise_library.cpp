#include "handout/exercise_library.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/text_catalog.h"

namespace kiosk::handout {
namespace {

constexpr int kMinSteps = 3, kMaxSteps = 6;
constexpr double kMaxDailyMinutes = 20;  // the brief's cap for a whole day's plan

// Reads one file's keys, noting each problem with its line; never throws.
struct FileReader {
  std::string file;
  std::vector<std::string>& problems;

  void problem(int line, std::string_view key, std::string_view what) {
    problems.push_back(fmt::format("{}:{}: {}: {}", file, line, key, what));
  }
  static int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

  const toml::node* need(const toml::table& t, int line, std::string_view prefix, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) problem(line, full(prefix, key), "missing");
    return n;
  }
  static std::string full(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
  }

  std::string text(const toml::node* n, std::string_view key) {
    if (!n) return {};
    auto s = n->value<std::string>();
    if (!n->is_string() || !s || s->empty()) {
      problem(line_of(*n), key, "must be text in quotes, not empty");
      return {};
    }
    return *s;
  }
  bool boolean(const toml::node* n, std::string_view key) {
    if (!n) return false;
    if (!n->is_boolean()) problem(line_of(*n), key, "must be true or false");
    return n->value_or(false);
  }
  double number(const toml::node* n, std::string_view key, double lo, double hi) {
    if (!n) return 0;
    auto v = n->value<double>();
    if (!(n->is_integer() || n->is_floating_point()) || !v || *v < lo || *v > hi) {
      problem(line_of(*n), key, fmt::format("must be a number from {} to {}", lo, hi));
      return 0;
    }
    return *v;
  }

  // [key] with one text per supported language, nothing else.
  LocalText local_text(const toml::table& root, std::string_view key) {
    LocalText out;
    const toml::node* n = need(root, 1, "", key);
    if (!n) return out;
    const auto* t = n->as_table();
    if (!t) {
      problem(line_of(*n), key, "must be a table of texts, e.g. [" + std::string(key) + "] en = \"...\"");
      return out;
    }
    for (auto lang : supported_languages()) {
      const std::string k = full(key, lang);
      if (auto s = text(need(*t, line_of(*n), key, lang), k); !s.empty()) out.by_lang[std::string(lang)] = s;
    }
    for (const auto& [k, v] : *t)
      if (!is_supported_language(k.str())) problem(line_of(v), full(key, k.str()), "not a supported language");
    return out;
  }

  void steps(const toml::table& root, Exercise& ex) {
    const toml::node* n = need(root, 1, "", "steps");
    const auto* t = n ? n->as_table() : nullptr;
    if (n && !t) problem(line_of(*n), "steps", "must be a table of lists, e.g. [steps] en = [\"...\"]");
    if (!t) return;
    for (auto lang : supported_languages()) {
      const std::string k = full("steps", lang);
      const toml::node* list = need(*t, line_of(*n), "steps", lang);
      if (!list) continue;
      const auto* arr = list->as_array();
      if (!arr || arr->size() < kMinSteps || arr->size() > kMaxSteps) {
        problem(line_of(*list), k, fmt::format("must be a list of {} to {} steps", kMinSteps, kMaxSteps));
        continue;
      }
      auto& out = ex.steps[std::string(lang)];
      for (const auto& item : *arr) out.push_back(text(&item, k));
    }
    for (const auto& [k, v] : *t)
      if (!is_supported_language(k.str())) problem(line_of(v), full("steps", k.str()), "not a supported language");
    const auto& en = ex.steps["en"];
    for (const auto& [lang, list] : ex.steps)
      if (list.size() != en.size() && !en.empty())
        problem(line_of(*n), full("steps", lang),
                fmt::format("has {} steps but en has {}; each language tells the same steps", list.size(), en.size()));
  }

  // needs = ["one_leg", "step"]: each one of safety::all_needs().
  safety::Needs needs(const toml::node* n, std::string_view key) {
    safety::Needs out;
    if (!n) return out;
    const auto* arr = n->as_array();
    if (!arr) {
      problem(line_of(*n), key, "must be a list such as [\"one_leg\", \"step\"] (or [] for none)");
      return out;
    }
    for (const auto& item : *arr) {
      const std::string name = text(&item, key);
      if (auto need = safety::parse_need(name))
        out.add(*need);
      else if (!name.empty())
        problem(line_of(item), key,
                fmt::format("unknown need \"{}\" (known: one_leg, step, running, band, floor)", name));
    }
    return out;
  }

  void kind(const toml::table& root, Exercise& ex) {
    const toml::node* n = need(root, 1, "", "kind");
    const std::string k = text(n, "kind");
    for (auto kd : {ExerciseKind::relief, ExerciseKind::mobility, ExerciseKind::strength, ExerciseKind::balance})
      if (k == to_string(kd)) {
        ex.kind = kd;
        return;
      }
    if (n && !k.empty()) problem(line_of(*n), "kind", "must be relief, mobility, strength or balance");
  }

  void tags(const toml::table& root, Exercise& ex) {
    const toml::node* n = need(root, 1, "", "tags");
    if (!n) return;
    const auto* arr = n->as_array();
    if (!arr || arr->empty()) {
      problem(line_of(*n), "tags", "must be a list of target tags, e.g. [\"calf_strength\"]");
      return;
    }
    for (const auto& item : *arr) {
      std::string tag = text(&item, "tags");
      const auto& known = known_tags();
      if (!tag.empty() && std::find(known.begin(), known.end(), tag) == known.end())
        problem(line_of(item), "tags", fmt::format("unknown tag \"{}\" (known: {})", tag, fmt::join(known, ", ")));
      ex.tags.push_back(std::move(tag));
    }
  }

  // A count, hold or time with an optional *_max at or above it.
  void amount(const toml::table& t, std::string_view key, double hi, double& base, double& max) {
    const std::string k = full("dose", key), kmax = k + "_max";
    if (const toml::node* n = t.get(key)) base = number(n, k, 1, hi);
    if (const toml::node* n = t.get(std::string(key) + "_max")) {
      max = number(n, kmax, 1, hi);
      if (!t.get(key))
        problem(line_of(*n), kmax, fmt::format("needs dose.{} too", key));
      else if (max < base)
        problem(line_of(*n), kmax, fmt::format("must be at least dose.{}", key));
    }
  }

  void dose(const toml::table& root, Exercise& ex) {
    const toml::node* n = need(root, 1, "", "dose");
    const auto* t = n ? n->as_table() : nullptr;
    if (n && !t) problem(line_of(*n), "dose", "must be a table: [dose] sets = 3 ...");
    if (!t) return;
    Dose& d = ex.dose;
    d.sets = static_cast<int>(number(need(*t, line_of(*n), "dose", "sets"), "dose.sets", 1, 20));
    if (const toml::node* s = t->get("sets"); s && !s->is_integer())
      problem(line_of(*s), "dose.sets", "must be a whole number");
    amount(*t, "reps", 100, d.reps, d.reps_max);
    amount(*t, "hold_s", 300, d.hold_s, d.hold_s_max);
    amount(*t, "minutes", 20, d.minutes, d.minutes_max);
    const int kinds = (d.reps > 0) + (d.hold_s > 0) + (d.minutes > 0);
    if (kinds != 1) problem(line_of(*n), "dose", "give exactly one of reps, hold_s or minutes");
    if (const toml::node* b = t->get("each_side")) d.each_side = boolean(b, "dose.each_side");
    if (const toml::node* b = t->get("each_way")) d.each_way = boolean(b, "dose.each_way");
    if (const toml::node* r = t->get("rep_s"))
      d.rep_s = number(r, "dose.rep_s", 1, 20);
    else if (d.reps > 0)
      problem(line_of(*n), "dose.rep_s", "missing: seconds one repetition takes (the minutes come from it)");
    if (const toml::node* r = t->get("rest_s")) d.rest_s = number(r, "dose.rest_s", 0, 300);
    static const std::set<std::string, std::less<>> keys{"sets",       "reps",    "reps_max",    "hold_s",
                                                         "hold_s_max", "minutes", "minutes_max", "each_side",
                                                         "each_way",   "rep_s",   "rest_s"};
    for (const auto& [k, v] : *t)
      if (!keys.contains(k.str())) problem(line_of(v), full("dose", k.str()), "unknown key");
  }
};

const std::set<std::string, std::less<>>& top_level_keys() {
  static const std::set<std::string, std::less<>> keys{"id",           "kind",   "tags",   "sided", "needs",
                                                       "harder_needs", "dose",   "name",   "why",   "steps",
                                                       "feel",         "easier", "harder", "safety"};
  return keys;
}

}  // namespace

LibraryError::LibraryError(std::vector<std::string> problems)
    : std::runtime_error(fmt::format("{}", fmt::join(problems, "\n"))), problems_(std::move(problems)) {}

Exercise ExerciseLibrary::read_file(const std::filesystem::path& file, std::vector<std::string>& problems) {
  Exercise ex;
  FileReader r{file.string(), problems};
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    problems.push_back(fmt::format("{}:{}: {}", file.string(), e.source().begin.line, e.description()));
    return ex;
  }
  for (const auto& [k, v] : root)
    if (!top_level_keys().contains(k.str())) r.problem(FileReader::line_of(v), k.str(), "unknown key");
  const toml::node* id = r.need(root, 1, "", "id");
  ex.id = r.text(id, "id");
  if (id && !ex.id.empty() && ex.id != file.stem().string())
    r.problem(FileReader::line_of(*id), "id", fmt::format("must match the file name \"{}\"", file.stem().string()));
  r.kind(root, ex);
  r.tags(root, ex);
  ex.sided = r.boolean(r.need(root, 1, "", "sided"), "sided");
  ex.needs = r.needs(r.need(root, 1, "", "needs"), "needs");
  ex.harder_needs = root.get("harder_needs") ? r.needs(root.get("harder_needs"), "harder_needs") : ex.needs;
  r.dose(root, ex);
  ex.daily_minutes = dose_minutes(ex.dose);
  if (ex.daily_minutes > kMaxDailyMinutes)
    r.problem(1, "dose",
              fmt::format("takes {} minutes a day; a whole plan may take {}", ex.daily_minutes, kMaxDailyMinutes));
  if (ex.dose.each_side && !ex.sided) r.problem(1, "dose.each_side", "needs sided = true");
  ex.name = r.local_text(root, "name");
  ex.why = r.local_text(root, "why");
  r.steps(root, ex);
  ex.feel = r.local_text(root, "feel");
  ex.easier = r.local_text(root, "easier");
  ex.harder = r.local_text(root, "harder");
  ex.safety = r.local_text(root, "safety");
  ex.illustration = file.parent_path() / (file.stem().string() + ".svg");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(ex.illustration, ec))
    r.problem(
        1, "illustration",
        fmt::format("no {} beside it (assets/exercises/figures makes them)", ex.illustration.filename().string()));
  return ex;
}

ExerciseLibrary ExerciseLibrary::load(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".toml" && it->is_regular_file(ec)) files.push_back(it->path());
  if (ec) throw LibraryError({fmt::format("{}: cannot read the exercise folder: {}", dir.string(), ec.message())});
  if (files.empty()) throw LibraryError({fmt::format("{}: no exercise files (*.toml)", dir.string())});
  std::sort(files.begin(), files.end());
  ExerciseLibrary lib;
  std::vector<std::string> problems;
  for (const auto& f : files) lib.exercises_.push_back(read_file(f, problems));
  if (!problems.empty()) throw LibraryError(std::move(problems));
  return lib;
}

const Exercise* ExerciseLibrary::find(std::string_view id) const {
  for (const auto& e : exercises_)
    if (e.id == id) return &e;
  return nullptr;
}

nlohmann::json to_json(const Dose& d) {
  nlohmann::json j{{"sets", d.sets}, {"each_side", d.each_side}, {"each_way", d.each_way}};
  auto put = [&j](const char* key, double v) {
    if (v > 0) j[key] = v;
  };
  put("reps", d.reps);
  put("reps_max", d.reps_max);
  put("hold_s", d.hold_s);
  put("hold_s_max", d.hold_s_max);
  put("minutes", d.minutes);
  put("minutes_max", d.minutes_max);
  put("rep_s", d.rep_s);
  put("rest_s", d.rest_s);
  return j;
}

nlohmann::json ExerciseLibrary::rules_view() const {
  nlohmann::json out = nlohmann::json::object();
  const auto names = [](safety::Needs needs) {
    auto list = nlohmann::json::array();
    for (auto n : needs.list()) list.push_back(to_string(n));
    return list;
  };
  for (const auto& e : exercises_)
    out[e.id] = {{"id", e.id},
                 {"kind", to_string(e.kind)},
                 {"tags", e.tags},
                 {"sided", e.sided},
                 {"needs", names(e.needs)},
                 {"harder_needs", names(e.harder_needs)},
                 {"one_leg", e.needs.has(safety::Need::one_leg)},  // rules files written before needs
                 {"daily_minutes", e.daily_minutes},
                 {"dose", to_json(e.dose)}};
  return out;
}

}  // namespace kiosk::handout
