// Which illustration and sound ids a script names that neither the assets
// nor the script's own folder have, for `kioskctl script check` and `script
// list` (the same lines in both). The kiosk still offers such a script: the
// step shows without it, and the log says so. Steps are only built when a script runs, so this
// reads the source: every `illustration = "id"` and `sound = "id"` written as
// a literal (an id built at run time is not seen; the kiosk logs it when shown).
// Headless; thread: any.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::media {

// "scripts/x.lua:12: warning: illustration \"knee_too_wall\": no such
// illustration in <assets>/illustrations or scripts/illustrations (there are:
// heel_raise, knee_to_wall, ...)", one per unknown id. Illustrations are
// looked for as the kiosk does (illustration_dirs), with the script's folder.
std::vector<std::string> unknown_media_ids(const std::filesystem::path& script,
                                           const std::filesystem::path& assets_dir);

}  // namespace kiosk::media
