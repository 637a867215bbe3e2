// The session document (format 1): the JSON edge of core/session/session.h,
// for the database, `kioskctl session run`, the handout rules (Lua) and the
// exports. Reading is tolerant of documents stored by older kiosks and fails
// closed on safety: a missing, unknown or inconsistent "safety" block is
// never `cleared`. A test's "plate" (optional, added within format 1:
// older readers skip it, and parts without one read as measured by hand)
// names the plate and calibration its live capture measured with.
//
// {"api","lang","stopped","safety":{"state","flags","one_leg_unsafe","excluded_needs","unscreened_reason"},
//  "screening","profile","tests":[{"test","version","measures":[{"id","side","value","unit"}],"findings",
//  "flags","interpretation","answers","plate"?:{"device_id","plugin","vendor","model","serial","firmware",
//  "calibration_state","calibrated_at","calibration_id"}}],"skipped":[{"test","reason"}],"unavailable":[{"file","test","error"}],
//  "findings","refer_findings","visit_code"?}
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <optional>

#include "core/session/session.h"

namespace kiosk::session {

nlohmann::json to_json(const Session& session);
Session session_from_json(const nlohmann::json& document);

nlohmann::json to_json(const ScriptPart& part);
nlohmann::json to_json(const safety::SessionSafety& safety);
// Reads a "safety" block; anything missing or unknown reads as not cleared.
safety::SessionSafety safety_from_json(const nlohmann::json& block);

nlohmann::json to_json(const Answer& answer);
nlohmann::json to_json(const Answers& answers);
// nullopt for a value no script answer takes (null, an object, a list of non-numbers).
std::optional<Answer> answer_from_json(const nlohmann::json& value);
// Keeps the answers it can read; skips the rest.
Answers answers_from_json(const nlohmann::json& object);

}  // namespace kiosk::session
