// The illustrations the instruction screens show: one folder per id, in
// assets/illustrations/ for the bundled tests and in a script folder's
// illustrations/ for a clinician's own (scripts/README.md), drawn by
// assets/illustrations/draw_illustrations.py in the handout figures' style
// (never by hand), described by its illustration.toml (format version 1):
//
//   version = 1
//   still = "still.svg"          # shown beside the instructions
//   loops = 3                    # "Show me" plays the frames this many times
//   frames = [{ svg = "frame-00.svg", ms = 400 }, ...]   # in order, each shown ms
//
// Headless; thread: any.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::media {

struct IllustrationFrame {
  std::filesystem::path svg;
  int ms = 100;
};

struct Illustration {
  std::string id;
  std::filesystem::path still;
  std::vector<IllustrationFrame> frames;
  int loops = 1;
  int loop_ms() const;  // one pass of the frames
};

// "illustrations/heel_raise/illustration.toml:3: frames: ... " ; also a missing SVG.
class IllustrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads <dir>/<id>/illustration.toml and checks its SVGs exist. Throws IllustrationError.
Illustration load_illustration(const std::filesystem::path& dir, const std::string& id);
// The ids a folder offers (sub-folders with an illustration.toml), sorted.
std::vector<std::string> illustration_ids(const std::filesystem::path& dir);

// Where illustrations are looked for, in order: the shipped
// <assets>/illustrations, then each script folder's illustrations/.
std::vector<std::filesystem::path> illustration_dirs(const std::filesystem::path& assets_dir,
                                                     const std::vector<std::filesystem::path>& script_dirs);
// From the first of `dirs` that has `id`. Throws IllustrationError (a broken
// one, or none: naming every folder looked in).
Illustration load_illustration(const std::vector<std::filesystem::path>& dirs, const std::string& id);
// The ids all of `dirs` offer, sorted, each once.
std::vector<std::string> illustration_ids(const std::vector<std::filesystem::path>& dirs);

}  // namespace kiosk::media
