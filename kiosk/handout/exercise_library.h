// All exercise cards: every assets/exercises/*.toml, each validated. Any bad
// file is an error listing every problem as "file:line: key: problem"; the
// handout never prints a half-checked card.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "handout/exercise.h"

namespace kiosk::handout {

class LibraryError : public std::runtime_error {
 public:
  LibraryError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

class ExerciseLibrary {
 public:
  // Reads every *.toml directly in `dir` (sorted by name). Throws LibraryError.
  static ExerciseLibrary load(const std::filesystem::path& dir);
  // One file; problems are appended (none → the exercise is good).
  static Exercise read_file(const std::filesystem::path& file, std::vector<std::string>& problems);

  const std::vector<Exercise>& all() const { return exercises_; }
  const Exercise* find(std::string_view id) const;

  // What the rules script sees: {id = {id, kind, tags, sided, needs,
  // harder_needs, one_leg, daily_minutes, dose = {...}}} — numbers and ids only, no words.
  nlohmann::json rules_view() const;

 private:
  std::vector<Exercise> exercises_;
};

nlohmann::json to_json(const Dose& dose);

}  // namespace kiosk::handout
