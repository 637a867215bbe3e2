// Everything a handout is made from, loaded once (at start-up, on the UI
// thread or in kioskctl) and then only read: the exercise cards, the
// handout's words (assets/handout/<lang>.toml), the rules script and the
// sandbox it runs in. Reading is safe from any thread once loaded.
#pragma once
#include <filesystem>

#include "core/paths.h"
#include "core/text_catalog.h"
#include "handout/exercise_library.h"
#include "handout/line_needs.h"
#include "script/sandbox.h"

namespace kiosk::handout {

struct HandoutAssets {
  ExerciseLibrary library;
  TextCatalog texts;                 // keys listed in assets/handout/en.toml
  std::filesystem::path rules_file;  // handout.lua in the first script dir that has one
  std::filesystem::path assets_dir;  // for the default logo (branding/)
  script::SandboxOptions sandbox;    // the assessment scripts' limits; require from lib/
  LineNeeds lines;                   // what each advice and progression line asks (lines.toml)

  // Throws LibraryError (bad exercise file) or std::runtime_error (no rules
  // file, bad strings file), each naming the file.
  static HandoutAssets load(const Paths& paths);
};

}  // namespace kiosk::handout
