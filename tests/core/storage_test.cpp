#include <catch2/catch.hpp>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fstream>
#include <iterator>

#include "core/storage/database.h"
#include "support/temp_dir.h"

using kiosk::storage::Database;
using kiosk::storage::OpenReport;
using kiosk::test::TempDir;
namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<fs::path> quarantined_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".corrupt-") != std::string::npos && e.path().extension() != ".db-wal")
      out.push_back(e.path());
  return out;
}

// Fills a database with enough rows to span many pages, then closes it.
void make_populated(const fs::path& file) {
  auto db = Database::open(file);
  SQLite::Transaction tx(db.sql());
  SQLite::Statement ins(db.sql(), "INSERT INTO audit_log(actor, event, detail) VALUES ('test', 'fill', ?)");
  for (int i = 0; i < 2000; ++i) {
    ins.bind(1, std::string(200, static_cast<char>('a' + i % 26)));
    ins.exec();
    ins.reset();
  }
  tx.commit();
}
}  // namespace

TEST_CASE("a new database is created at the latest schema / in WAL mode") {
  TempDir dir;
  OpenReport report;
  auto db = Database::open(dir / "kiosk.db", &report);
  CHECK(report.schema_before == 0);
  CHECK(report.schema_after == kiosk::storage::latest_schema_version());
  CHECK_FALSE(report.quarantined);
  CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  for (const char* table : {"sessions", "results", "findings", "calibrations", "audit_log"})
    CHECK(db.sql().tableExists(table));
}

TEST_CASE("migrations are numbered 1..N with no gaps") {
  int expected = 1;
  for (const auto& m : kiosk::storage::migrations()) CHECK(m.version == expected++);
  CHECK(kiosk::storage::latest_schema_version() == expected - 1);
}

TEST_CASE("reopening keeps the data and applies no migration") {
  TempDir dir;
  {
    auto db = Database::open(dir / "kiosk.db");
    db.audit("staff", "reprint", "session=4");
  }
  OpenReport report;
  auto db = Database::open(dir / "kiosk.db", &report);
  CHECK(report.schema_before == kiosk::storage::latest_schema_version());
  CHECK(db.sql().execAndGet("SELECT detail FROM audit_log WHERE event = 'reprint'").getString() == "session=4");
}

TEST_CASE("a file that is not a database is moved aside / byte for byte / and replaced") {
  TempDir dir;
  const auto file = dir / "kiosk.db";
  const std::string garbage = "this is not an SQLite file, just a damaged leftover\n" + std::string(5000, '\x7f');
  std::ofstream(file, std::ios::binary) << garbage;

  OpenReport report;
  auto db = Database::open(file, &report);
  CHECK(report.quarantined);
  CHECK_FALSE(report.reason.empty());
  REQUIRE(fs::exists(report.moved_to));
  CHECK(read_all(report.moved_to) == garbage);  // nothing lost
  CHECK(db.schema_version() == kiosk::storage::latest_schema_version());
  CHECK(db.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(db.sql().execAndGet("SELECT count(*) FROM audit_log WHERE event = 'database_quarantined'").getInt() == 1);
}

TEST_CASE("a database with a damaged page fails integrity_check and is moved aside") {
  TempDir dir;
  const auto file = dir / "kiosk.db";
  make_populated(file);
  REQUIRE_FALSE(fs::exists(dir / "kiosk.db-wal"));  // checkpointed on close
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 6);  // inside the audit log's b-tree
    const std::string junk(4096, '\xa5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  OpenReport report;
  auto db = Database::open(file, &report);
  CHECK(report.quarantined);
  CHECK(quarantined_files(dir.path()).size() == 1);
  CHECK(db.sql().execAndGet("SELECT count(*) FROM audit_log WHERE event = 'fill'").getInt() == 0);
}

TEST_CASE("a database from a newer program is refused and left untouched") {
  TempDir dir;
  const auto file = dir / "kiosk.db";
  {
    auto db = Database::open(file);
    db.sql().exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_AS(Database::open(file), kiosk::storage::StorageError);
  CHECK(quarantined_files(dir.path()).empty());
  CHECK(fs::exists(file));
}

TEST_CASE("an unusable folder is a StorageError naming the file") {
  TempDir dir;
  std::ofstream(dir / "not-a-folder") << "x";
  try {
    Database::open(dir / "not-a-folder" / "kiosk.db");
    FAIL("expected StorageError");
  } catch (const kiosk::storage::StorageError& e) {
    CHECK_THAT(e.what(), Catch::Contains("not-a-folder/kiosk.db"));
  }
}
