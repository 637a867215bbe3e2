// Version of the Lua `kiosk` API that scripts declare with `api = N`.
// Bump only with a documented migration in scripts/README.md. Additions that
// old scripts never notice keep the number (listed in scripts/README.md,
// "Versions"): red_flag, red_flag_above, findings, refer_findings, t.clinic,
// chart = kiosk.chart { ... }.
#pragma once
namespace kiosk::script {
inline constexpr int kApiVersion = 1;
}
