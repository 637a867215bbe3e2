// The fleet at CI scale: 5 kiosks (own process and data dir each) x 20
// sessions through the fault proxy (20 % of requests fail in every way it
// knows, and the server is cut off for 4 s in the middle) into the real FHIR
// engine. It must hold exactly the sessions the kiosks stored, once each.
// bench/run runs the same program at 50 x 200 with a 30 s outage.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"

TEST_CASE("5 kiosks x 20 sessions through faults and an outage: none lost none duplicated") {
  kiosk::test::TempDir dir;
  const auto r = kiosk::test::run(kiosk::test::program("fhir_fleet") + " --kiosks 5 --sessions 20 --interval-ms 100" +
                                  " --fail-rate 0.2 --outage-at-s 1 --outage-s 4 --deadline-s 120 --seed 7 --work " +
                                  (dir / "fleet").string());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto report = nlohmann::json::parse(r.out);
  CHECK(report["sessions_stored"] == 100);
  CHECK(report["lost"] == 0);
  CHECK(report["left_in_queues"] == 0);
  CHECK(report["duplicates"] == 0);
  CHECK(report["schema_invalid_bundles"] == 0);
  CHECK(report["kiosks_not_drained"] == 0);
  // The faults did happen, of every kind, and the outage turned requests away.
  const auto& proxy = report["proxy"];
  for (const char* kind : {"500-before", "500-after", "timeout", "reset-before", "reset-after", "slow"})
    CHECK(proxy["faults"].value(kind, 0) > 0);
  CHECK(proxy["outage_dropped"] > 0);
  CHECK(report["engine_transactions"] > 100);
}
