// Version of the Lua `kiosk` API that scripts declare with `api = N`.
// Bump only with a documented migration in scripts/README.md.
#pragma once
namespace kiosk::script {
inline constexpr int kApiVersion = 1;
}
