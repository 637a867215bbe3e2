#include "core/calibration/calibration_math.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace kiosk::calibration {
namespace {

double total(const signal::CellValues& raw) { return std::accumulate(raw.begin(), raw.end(), 0.0); }

using Matrix4 = std::array<std::array<double, 4>, 4>;

// Eigenvalues of a symmetric 4×4 matrix (cyclic Jacobi; converges in a few sweeps).
std::array<double, 4> symmetric_eigenvalues(Matrix4 a) {
  for (int sweep = 0; sweep < 50; ++sweep) {
    double off = 0;
    for (int p = 0; p < 4; ++p)
      for (int q = p + 1; q < 4; ++q) off += a[p][q] * a[p][q];
    if (off < 1e-30) break;
    for (int p = 0; p < 4; ++p)
      for (int q = p + 1; q < 4; ++q) {
        if (std::abs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < 4; ++k) {  // columns p, q
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 4; ++k) {  // rows p, q
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
  }
  return {a[0][0], a[1][1], a[2][2], a[3][3]};
}

// Least squares min |A·u − b| by Householder QR. A has 4 columns. Returns
// nullopt when R has a (numerically) zero pivot.
std::optional<std::array<double, 4>> least_squares(std::vector<std::array<double, 4>> a, std::vector<double> b) {
  const std::size_t m = a.size();
  for (std::size_t k = 0; k < 4; ++k) {
    double norm = 0;
    for (std::size_t i = k; i < m; ++i) norm += a[i][k] * a[i][k];
    norm = std::sqrt(norm);
    if (norm < 1e-300) return std::nullopt;
    const double alpha = a[k][k] > 0 ? -norm : norm;
    std::vector<double> v(m, 0);
    v[k] = a[k][k] - alpha;
    for (std::size_t i = k + 1; i < m; ++i) v[i] = a[i][k];
    double vv = 0;
    for (std::size_t i = k; i < m; ++i) vv += v[i] * v[i];
    if (vv < 1e-300) continue;
    for (std::size_t j = k; j < 4; ++j) {
      double dot = 0;
      for (std::size_t i = k; i < m; ++i) dot += v[i] * a[i][j];
      for (std::size_t i = k; i < m; ++i) a[i][j] -= 2 * dot / vv * v[i];
    }
    double dot = 0;
    for (std::size_t i = k; i < m; ++i) dot += v[i] * b[i];
    for (std::size_t i = k; i < m; ++i) b[i] -= 2 * dot / vv * v[i];
  }
  std::array<double, 4> u{};
  for (int k = 3; k >= 0; --k) {
    double s = b[static_cast<std::size_t>(k)];
    for (int j = k + 1; j < 4; ++j)
      s -= a[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)] * u[static_cast<std::size_t>(j)];
    const double pivot = a[static_cast<std::size_t>(k)][static_cast<std::size_t>(k)];
    if (std::abs(pivot) < 1e-12) return std::nullopt;
    u[static_cast<std::size_t>(k)] = s / pivot;
  }
  return u;
}

double condition_number(const std::vector<std::array<double, 4>>& a) {
  Matrix4 ata{};
  for (const auto& row : a)
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) ata[i][j] += row[static_cast<std::size_t>(i)] * row[static_cast<std::size_t>(j)];
  const auto ev = symmetric_eigenvalues(ata);
  const double hi = *std::max_element(ev.begin(), ev.end()), lo = *std::min_element(ev.begin(), ev.end());
  if (!(lo > 0) || !(hi > 0)) return INFINITY;
  return std::sqrt(hi / lo);
}

}  // namespace

double stability_tolerance_n(double load_n) { return std::max(1.0, 0.0025 * std::abs(load_n)); }

// ---------------------------------------------------------------- stability

std::optional<double> BlockMeans::push(double t_s, const signal::CellValues& raw) {
  std::optional<double> done;
  if (n_ == 0 || t_s < start_s_) {
    start_s_ = t_s;
    sum_ = 0;
    n_ = 0;
  } else if (t_s - start_s_ >= kBlock_s) {
    done = sum_ / static_cast<double>(n_);
    start_s_ = t_s;
    sum_ = 0;
    n_ = 0;
  }
  sum_ += gain_ * total(raw);
  ++n_;
  return done;
}

StabilityMeter::StabilityMeter(double nominal_gain_n_per_unit, double expected_load_n)
    : blocks_(nominal_gain_n_per_unit), tolerance_n_(stability_tolerance_n(expected_load_n)) {}

void StabilityMeter::reset() {
  block_means_.clear();
  blocks_.reset();
}

void StabilityMeter::push(double t_s, const signal::CellValues& raw) {
  const auto mean = blocks_.push(t_s, raw);
  if (!mean) return;
  block_means_.push_back(*mean);
  const auto keep = static_cast<std::size_t>(std::lround(kStabilityWindow_s / kBlock_s));
  if (block_means_.size() > keep) block_means_.erase(block_means_.begin());
}

bool StabilityMeter::have_window() const {
  return block_means_.size() >= static_cast<std::size_t>(std::lround(kStabilityWindow_s / kBlock_s));
}

double StabilityMeter::spread_n() const {
  if (block_means_.size() < 2) return INFINITY;
  const auto [lo, hi] = std::minmax_element(block_means_.begin(), block_means_.end());
  return *hi - *lo;
}

double StabilityMeter::stability() const {
  if (block_means_.size() < 2) return 0;
  const double fill = static_cast<double>(block_means_.size()) / std::lround(kStabilityWindow_s / kBlock_s);
  const double spread = spread_n();
  return std::clamp(fill * (spread > 0 ? tolerance_n_ / spread : 1.0), 0.0, 1.0);
}

ReadingAccumulator::ReadingAccumulator(double nominal_gain_n_per_unit, double expected_load_n)
    : blocks_(nominal_gain_n_per_unit), tolerance_n_(stability_tolerance_n(expected_load_n)) {}

void ReadingAccumulator::reset() {
  sum_ = {};
  samples_ = 0;
  blocks_.reset();
  have_block_ = false;
}

void ReadingAccumulator::push(double t_s, const signal::CellValues& raw) {
  if (samples_ == 0) first_s_ = t_s;
  last_s_ = t_s;
  ++samples_;
  for (std::size_t c = 0; c < signal::kCellCount; ++c) sum_[c] += raw[c];
  if (const auto mean = blocks_.push(t_s, raw)) {
    block_min_ = have_block_ ? std::min(block_min_, *mean) : *mean;
    block_max_ = have_block_ ? std::max(block_max_, *mean) : *mean;
    have_block_ = true;
  }
}

Reading ReadingAccumulator::reading() const {
  Reading r;
  r.samples = samples_;
  r.duration_s = duration_s();
  r.tolerance_n = tolerance_n_;
  r.spread_n = have_block_ ? block_max_ - block_min_ : INFINITY;
  for (std::size_t c = 0; c < signal::kCellCount; ++c)
    r.mean[c] = samples_ ? sum_[c] / static_cast<double>(samples_) : 0;
  return r;
}

std::string check_reading(const Reading& reading, double min_s, std::string_view what) {
  if (reading.samples == 0) return fmt::format("{}: no samples", what);
  if (reading.duration_s + 1e-9 < min_s)
    return fmt::format("{}: read for {:.1f} s; at least {:.0f} s are needed", what, reading.duration_s, min_s);
  if (!reading.stable())
    return fmt::format(
        "{}: the reading was not steady (it moved {:.1f} N; at most {:.1f} N allowed) — keep the "
        "plate still and nothing touching it",
        what, reading.spread_n, reading.tolerance_n);
  return {};
}

// ---------------------------------------------------------------- fit and verification

Verification verify(const signal::CellLayout& layout, const std::vector<Mark>& marks,
                    const std::vector<Reading>& placements, double mass_kg, const Thresholds& thresholds) {
  Verification v;
  v.thresholds = thresholds;
  v.passed = !marks.empty() && marks.size() == placements.size();
  const double weight_n = mass_kg * kGravity_m_s2;
  double sum_f = 0, sum_c = 0;
  for (std::size_t i = 0; i < std::min(marks.size(), placements.size()); ++i) {
    const auto s = signal::cells_to_load(layout, placements[i].mean);
    PlacementCheck c;
    c.mark = marks[i];
    c.fz_n = s.fz_n;
    c.cop_x_mm = s.cop_x_mm;
    c.cop_y_mm = s.cop_y_mm;
    c.force_error_pct = 100 * (s.fz_n - weight_n) / weight_n;
    c.cop_error_mm = std::hypot(s.cop_x_mm - marks[i].x_mm, s.cop_y_mm - marks[i].y_mm);
    c.passed = std::abs(c.force_error_pct) <= thresholds.force_pct && c.cop_error_mm <= thresholds.cop_mm;
    v.passed = v.passed && c.passed;
    sum_f += c.force_error_pct * c.force_error_pct;
    sum_c += c.cop_error_mm * c.cop_error_mm;
    v.max_force_pct = std::max(v.max_force_pct, std::abs(c.force_error_pct));
    v.max_cop_mm = std::max(v.max_cop_mm, c.cop_error_mm);
    v.placements.push_back(std::move(c));
  }
  if (!v.placements.empty()) {
    const auto n = static_cast<double>(v.placements.size());
    v.rms_force_pct = std::sqrt(sum_f / n);
    v.rms_cop_mm = std::sqrt(sum_c / n);
  }
  return v;
}

FitOutcome fit_gains(const signal::CellLayout& nominal, const Reading& zero, const std::vector<Mark>& marks,
                     const std::vector<Reading>& placements, double mass_kg, const Thresholds& thresholds) {
  FitOutcome out;
  auto refuse = [&](std::string why) {
    out.refused = std::move(why);
    return out;
  };
  if (!(mass_kg > 0) || !std::isfinite(mass_kg))
    return refuse(fmt::format("the mass must be positive (got {} kg)", mass_kg));
  if (marks.size() != placements.size())
    return refuse(fmt::format("{} marks but {} placements", marks.size(), placements.size()));
  if (placements.size() < kMinPlacements)
    return refuse(fmt::format("too few placements: {} of at least {}", placements.size(), kMinPlacements));
  if (auto why = check_reading(zero, kMinZero_s, "zero"); !why.empty()) return refuse(why);
  for (std::size_t i = 0; i < placements.size(); ++i)
    if (auto why = check_reading(placements[i], kMinHold_s, fmt::format("mark {}", marks[i].name)); !why.empty())
      return refuse(why);

  const double weight_n = mass_kg * kGravity_m_s2;
  std::vector<std::array<double, 4>> a;
  std::vector<double> b;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    std::array<double, 4> force{}, mx{}, my{};
    double nominal_n = 0;
    for (std::size_t c = 0; c < signal::kCellCount; ++c) {
      const double r = (placements[i].mean[c] - zero.mean[c]) * nominal.gain_n_per_unit[c] / weight_n;
      nominal_n += r * weight_n;
      force[c] = r;
      mx[c] = r * nominal.cell_x_mm(c) / nominal.half_span_x_mm;
      my[c] = r * nominal.cell_y_mm(c) / nominal.half_span_y_mm;
    }
    if (nominal_n < 0)
      return refuse(
          fmt::format("mark {}: the mass reads negative ({:.0f} N) — check the cell wiring, and that the "
                      "plate was empty while zeroing",
                      marks[i].name, nominal_n));
    a.push_back(force);
    b.push_back(1);
    a.push_back(mx);
    b.push_back(marks[i].x_mm / nominal.half_span_x_mm);
    a.push_back(my);
    b.push_back(marks[i].y_mm / nominal.half_span_y_mm);
  }
  const double condition = condition_number(a);
  if (!(condition <= kMaxCondition))
    return refuse(
        fmt::format("the marks cannot tell the four cells apart (condition {:.0f}, at most {:.0f}) — put "
                    "the mass on the centre and on the four quadrant marks",
                    condition, kMaxCondition));
  const auto u = least_squares(a, b);
  if (!u)
    return refuse(
        "the marks cannot tell the four cells apart — put the mass on the centre and the four quadrant marks");

  Fit fit;
  fit.condition = condition;
  fit.layout = nominal;
  for (std::size_t c = 0; c < signal::kCellCount; ++c) {
    const double g = (*u)[c] * nominal.gain_n_per_unit[c];
    if (!(g > 0)) return refuse(fmt::format("cell {} came out with gain {:.3g} N per unit: check its wiring", c, g));
    fit.layout.gain_n_per_unit[c] = g;
    fit.layout.offset_units[c] = zero.mean[c];
  }
  fit.verification = verify(fit.layout, marks, placements, mass_kg, thresholds);
  out.fit = std::move(fit);
  return out;
}

}  // namespace kiosk::calibration
