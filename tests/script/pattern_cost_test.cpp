#include <catch2/catch.hpp>

#include "script/pattern_cost.h"

using kiosk::script::pattern_worst_case_steps;
using kiosk::script::PatternUse;

TEST_CASE("a literal pattern costs subject positions times pattern length") {
  // unanchored: n+1 start positions, (m+1) per step, no backtracking items
  CHECK(pattern_worst_case_steps("abc", 9) == Approx(10.0 * 4.0));
}

TEST_CASE("an anchor removes the restart factor for search but not for gmatch") {
  CHECK(pattern_worst_case_steps("^abc", 9) == Approx(5.0));
  CHECK(pattern_worst_case_steps("^abc", 9, PatternUse::iterate) == Approx(10.0 * 5.0));
}

TEST_CASE("each backtracking quantifier multiplies by subject positions") {
  const double one = pattern_worst_case_steps("a*", 99);
  const double two = pattern_worst_case_steps("a*b*", 99);
  const double three = pattern_worst_case_steps("a*b-c+", 99);
  CHECK(one == Approx(100.0 * 3.0 * 100.0));
  CHECK(two == Approx(100.0 * 5.0 * 100.0 * 100.0));
  CHECK(three == Approx(100.0 * 7.0 * 1e6));
}

TEST_CASE("optional items double the bound (exponential patterns are caught)") {
  std::string p;
  for (int i = 0; i < 30; ++i) p += "a?";
  CHECK(pattern_worst_case_steps(p, 30) > 1e9);
}

TEST_CASE("sets, escapes, %b, %f and back-references are parsed as single items") {
  // [%a*] is one class (the * inside the set is literal), no quantifier after it
  CHECK(pattern_worst_case_steps("[%a*]", 9) == Approx(10.0 * 6.0));
  CHECK(pattern_worst_case_steps("%b()", 9) == Approx(10.0 * 5.0 * 10.0));
  CHECK(pattern_worst_case_steps("%f[%w]x", 9) == Approx(10.0 * 8.0));
  CHECK(pattern_worst_case_steps("(a)%1", 9) == Approx(10.0 * 6.0 * 10.0));
  CHECK(pattern_worst_case_steps("%d+", 9) == Approx(10.0 * 4.0 * 10.0));
}

TEST_CASE("malformed patterns do not crash the estimator") {
  for (const char* p : {"[", "[^", "%", "(", "%b", "%f", "[%", "a[]"}) CHECK(pattern_worst_case_steps(p, 100) > 0);
}
