// Which illustration and sound ids a script names that the assets lack, for
// `kioskctl script check`. Steps are only built when a script runs, so this
// reads the source: every `illustration = "id"` and `sound = "id"` written as
// a literal (an id built at run time is not seen; the kiosk logs it when shown).
// Headless; thread: any.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::media {

// "scripts/x.lua:12: illustration \"knee_too_wall\": no such illustration in
// <assets>/illustrations (there are: heel_raise, knee_to_wall, ...)", one per unknown id.
std::vector<std::string> unknown_media_ids(const std::filesystem::path& script, const std::filesystem::path& assets_dir);

}  // namespace kiosk::media
