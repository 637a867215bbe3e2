// Stored sessions as one CSV table (RFC 4180, UTF-8, header row), long
// format — one row per thing, so it opens in any spreadsheet:
//   session_id,started_at,ended_at,visit_code,outcome,language,print_status,
//   kind,test,test_version,item,side,value,unit
// kind = "session" (one per session; item empty), "answer" (item = ask id,
// value = the answer; a list of attempts as JSON), "measure" (item = measure
// id, value, unit as the script gave it) or "finding" (item = finding id).
#pragma once
#include <string>

#include "core/storage/session_store.h"

namespace kiosk::records_export {

// visit_code: false leaves that column empty (the clinic has not turned
// the visit code on: fhir.visit_code_as = "off").
std::string csv_table(storage::SessionStore& store, kiosk::WallClock::time_point since, bool visit_code);

}  // namespace kiosk::records_export
