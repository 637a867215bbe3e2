#include "handout/render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>

#include "core/log.h"
#include "handout/chart_rows.h"
#include "handout/pdf_page.h"
#include "handout/pdf_text.h"
#include "handout/qr_code.h"

namespace kiosk::handout {
namespace {

constexpr double kMargin = 11 * kMm;
constexpr double kFigureWidth = 50 * kMm;        // exercise figures print 5 cm wide
constexpr double kFigureAspect = 170.0 / 240.0;  // draw_figures.py's view box
constexpr double kBlockGap = 2.5 * kMm;
constexpr double kFooterHeight = 7 * kMm;
constexpr double kRunningHeader = 7 * kMm;  // pages after the first
constexpr int kMaxPages = 2;
constexpr double kQrSide = 26 * kMm;  // a link's QR code with its quiet zone: about 20 mm of modules, scans from paper
constexpr double kScales[] = {1.0, 0.95, 0.9, 0.85, 0.8, 0.75};  // tried in turn until it fits

// A piece of a page that is never split: its height, and how to draw it.
struct Block {
  std::function<double(double width)> height;
  std::function<void(double x, double y, double width)> draw;
  bool floating = false;  // may move up to an earlier page with room (advice, progression, recheck)
};

class Handout {
 public:
  Handout(const HandoutAssets& assets, const Plan& plan, const RenderOptions& options, PdfText& text,
          std::chrono::year_month_day today)
      : a_(assets), p_(plan), o_(options), t_(text), today_(today) {
    for (const auto& e : plan.exercises) figures_.push_back(load_svg(e.card->illustration));
    make_link_codes();
  }

  std::string tr(std::string_view key) const { return std::string(a_.texts.get(p_.lang, key)); }
  double s() const { return t_.scale(); }
  TextStyle style(double size, bool bold = false, double grey = 0) const { return {size, bold, grey, false, false}; }

  std::string clinic() const { return o_.clinic_name.empty() ? tr("doc.default_clinic") : o_.clinic_name; }
  std::filesystem::path logo() const {
    return o_.clinic_logo.empty() ? a_.assets_dir / "branding" / "logo.svg" : o_.clinic_logo;
  }

  std::vector<Block> blocks() {
    std::vector<Block> out;
    out.push_back(header());
    if (p_.refer) {
      out.push_back(refer());
      return out;
    }
    out.push_back(paragraph(tr("doc.intro"), style(9.5)));
    if (!p_.charts.empty()) out.push_back(results());
    out.push_back(paragraph(fill(tr("plan.summary"), {{"count", number_text(static_cast<double>(p_.exercises.size()))},
                                                      {"minutes", number_text(p_.total_minutes)}}),
                            style(12, true), tr("plan.title")));
    for (std::size_t i = 0; i < p_.exercises.size(); ++i) out.push_back(card(i));
    if (!codes_.empty()) out.push_back(links());
    out.push_back(advice());
    if (!p_.progression.empty()) out.push_back(progression());
    out.push_back(tracker());
    if (p_.recheck_days > 0) out.push_back(recheck());
    return out;
  }

  Block paragraph(std::string text, TextStyle st, std::string title = {}) {
    return {[this, text, st, title](double w) {
              return (title.empty() ? 0 : t_.height(title, style(13, true), w) + 1 * kMm) + t_.height(text, st, w);
            },
            [this, text, st, title](double x, double y, double w) {
              if (!title.empty()) y += t_.draw(title, style(13, true), x, y, w) + 1 * kMm;
              t_.draw(text, TextStyle{st.size, false, st.grey}, x, y, w);
            }};
  }

  Block header() {
    const double logo = 18 * kMm;
    auto lines = [this](double w, bool draw, double x, double y) {
      double h = 0;
      h += (draw ? t_.draw(clinic(), style(16, true), x, y + h, w) : t_.height(clinic(), style(16, true), w));
      h += (draw ? t_.draw(tr(p_.refer ? "refer.title" : "doc.title"), style(13), x, y + h, w)
                 : t_.height(tr(p_.refer ? "refer.title" : "doc.title"), style(13), w));
      const auto made = fill(tr("doc.made_on"), {{"date", date_text(a_, p_.lang, today_)}});
      h += (draw ? t_.draw(made, style(9, false, 0.3), x, y + h, w) : t_.height(made, style(9, false, 0.3), w));
      return h;
    };
    return {[=, this](double w) { return std::max(logo, lines(w - logo - 5 * kMm, false, 0, 0)) + 2 * kMm; },
            [=, this](double x, double y, double w) {
              draw_logo(t_.cr(), this->logo(), x, y, logo);
              const double h = lines(w - logo - 5 * kMm, true, x + logo + 5 * kMm, y);
              cairo_set_source_rgb(t_.cr(), 0, 0, 0);
              cairo_set_line_width(t_.cr(), 1.2);
              const double rule = y + std::max(logo, h) + 2 * kMm;
              cairo_move_to(t_.cr(), x, rule);
              cairo_line_to(t_.cr(), x + w, rule);
              cairo_stroke(t_.cr());
            }};
  }

  Block refer() {
    std::vector<std::pair<std::string, TextStyle>> parts{{tr("refer.title"), style(20, true)},
                                                         {tr("refer.body"), style(13)},
                                                         {tr("refer.next"), style(13, true)},
                                                         {tr("refer.why"), style(12)}};
    for (const auto& id : p_.advice) parts.emplace_back(plan_text(a_, p_, "advice." + id), style(13, true));
    auto run = [this, parts](double x, double y, double w, bool draw) {
      double h = 6 * kMm;
      for (const auto& [text, st] : parts)
        h += (draw ? t_.draw(text, st, x, y + h, w) : t_.height(text, st, w)) + 5 * kMm;
      return h;
    };
    return {[run](double w) { return run(0, 0, w, false); },
            [run](double x, double y, double w) { run(x, y, w, true); }};
  }

  // One row per test: the two sides as bars over the scale, the norm zone
  // shaded (rows and zone from handout/chart_rows.h, as the results screen).
  Block results() {
    const double label_w = 72 * kMm, row_gap = 2 * kMm;
    auto text_col = [this, label_w](const ChartRow& r, double x, double y, bool draw) {
      std::vector<std::pair<std::string, TextStyle>> lines{{r.title, style(9.5, true)}};
      std::string note = zone_text(r, [this](std::string_view key) { return tr(key); });
      if (r.difference)
        note += ". " + fill(tr(r.difference->flagged ? "results.difference_flagged" : "results.difference"),
                            {{"value", number_text(r.difference->value)}, {"unit", r.unit}});
      lines.emplace_back(note, style(8, false, 0.25));
      if (auto since = since_last_text(r, [this](std::string_view key) { return tr(key); }); !since.empty())
        lines.emplace_back(std::move(since), style(8, true));
      double h = 0;
      for (const auto& [s, st] : lines)
        h += draw ? t_.draw(s, st, x, y + h, label_w - 3 * kMm) : t_.height(s, st, label_w - 3 * kMm);
      return h;
    };
    auto bars_height = [this] { return (2 * 4.2 + 3.5) * kMm * std::max(s(), 0.85); };
    auto row_h = [=, this](const ChartRow& r) { return std::max(text_col(r, 0, 0, false), bars_height()); };
    auto draw_bars = [=, this](const ChartRow& r, double x, double y, double w) {
      cairo_t* cr = t_.cr();
      const double bar = 4.2 * kMm * std::max(s(), 0.85), gap = 1.3 * kMm,
                   label = 42 * kMm;  // "Izquierda 38.2 segundos" on one line
      const double track = w - label;
      auto at = [&](double v) { return x + scale_fraction(r, v) * track; };
      const double h = 2 * bar + gap;
      if (r.zone) {  // the norm zone, edged where it does not meet the scale's end
        cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
        cairo_rectangle(cr, at(r.zone->from), y - 0.8 * kMm, at(r.zone->to) - at(r.zone->from), h + 1.6 * kMm);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_set_line_width(cr, 0.8);
        for (double edge : {r.zone->from, r.zone->to}) {
          if (edge <= r.scale_min || edge >= r.scale_max) continue;
          cairo_move_to(cr, at(edge), y - 0.8 * kMm);
          cairo_line_to(cr, at(edge), y + h + 0.8 * kMm);
          cairo_stroke(cr);
        }
      }
      int i = 0;
      for (auto [side, value] : {std::pair{"left", r.left}, {"right", r.right}}) {
        const double by = y + i * (bar + gap);
        const std::string name = tr(std::string("results.") + side);
        std::string text = value ? fmt::format("{} {} {}", name, number_text(*value), r.unit)
                                 : fmt::format("{}: {}", name, tr("results.not_done"));
        if (value) {
          const double grey = i == 0 ? 0.1 : 0.55;  // left dark, right mid-grey: apart in black and white
          cairo_set_source_rgb(cr, grey, grey, grey);
          cairo_rectangle(cr, x, by, std::max(at(*value) - x, 0.6), bar);
          cairo_fill(cr);
        }
        const double tx = (value ? at(*value) : x) + 1.5 * kMm;
        t_.draw(text, style(8.5, true), std::min(tx, x + track + 1.5 * kMm), by + bar / 2 - 4.6 * s(), label);
        ++i;
      }
      cairo_set_source_rgb(cr, 0, 0, 0);
      cairo_set_line_width(cr, 0.8);
      cairo_move_to(cr, x, y - 1 * kMm);
      cairo_line_to(cr, x, y + h + 1 * kMm);
      cairo_stroke(cr);
    };
    return {[=, this](double w) {
              double h = t_.height(tr("results.title"), style(13, true), w) + 1.5 * kMm;
              for (const auto& r : p_.charts) h += row_h(r) + row_gap;
              return h + t_.height(tr("results.legend"), style(8, false, 0.3), w);
            },
            [=, this](double x, double y, double w) {
              y += t_.draw(tr("results.title"), style(13, true), x, y, w) + 1.5 * kMm;
              for (const auto& r : p_.charts) {
                text_col(r, x, y, true);
                draw_bars(r, x + label_w, y + 1 * kMm, w - label_w);
                y += row_h(r) + row_gap;
              }
              t_.draw(tr("results.legend"), style(8, false, 0.3), x, y, w);
            }};
  }

  // A titled list; `columns` 2 splits the items into two columns (first half left).
  Block bullets(std::string title, std::vector<std::string> items, bool boxed, int columns = 1) {
    const double pad = boxed ? 3 * kMm : 0, dot = 3.5 * kMm, col_gap = 5 * kMm;
    auto run = [=, this](double x, double y, double w, bool draw) {
      double top = pad;
      top += (draw ? t_.draw(title, style(12, true), x + pad, y + top, w - 2 * pad)
                   : t_.height(title, style(12, true), w - 2 * pad)) +
             1.2 * kMm;
      const double cw = (w - 2 * pad - (columns - 1) * col_gap) / columns;
      const std::size_t per = (items.size() + columns - 1) / columns;
      double tallest = 0;
      for (int col = 0; col < columns; ++col) {
        double h = top;
        const double cx = x + pad + col * (cw + col_gap);
        for (std::size_t i = col * per; i < std::min(items.size(), (col + 1) * per); ++i) {
          if (draw) t_.draw("•", style(9), cx, y + h, dot);
          h += (draw ? t_.draw(items[i], style(9), cx + dot, y + h, cw - dot)
                     : t_.height(items[i], style(9), cw - dot)) +
               0.8 * kMm;
        }
        tallest = std::max(tallest, h);
      }
      return tallest + pad;
    };
    return {[run](double w) { return run(0, 0, w, false); },
            [run](double x, double y, double w) { run(x, y, w, true); }};
  }

  Block advice() {
    std::vector<std::string> items;
    for (const auto& id : p_.advice) items.push_back(plan_text(a_, p_, "advice." + id));
    Block b = bullets(tr("advice.title"), items, true, 2);
    auto inner = b.draw;
    auto measure = b.height;
    b.draw = [this, inner, measure](double x, double y, double w) {
      rounded_box(t_.cr(), x, y, w, measure(w), 2.5 * kMm, 0.94, 0.45);
      inner(x, y, w);
    };
    b.floating = true;
    return b;
  }

  Block progression() {
    std::vector<std::string> items;
    for (const auto& id : p_.progression) items.push_back(plan_text(a_, p_, "progression." + id));
    Block b = bullets(tr("progression.title"), items, false);
    b.floating = true;
    return b;
  }

  // Three columns: figure | name, why, steps and dose | feel, easier, harder, take care.
  Block card(std::size_t index) {
    const PlannedExercise& ex = p_.exercises[index];
    const Exercise& c = *ex.card;
    const std::string lang = p_.lang;
    const double pad = 2.5 * kMm, gap = 3.5 * kMm, side_w = 40 * kMm;
    auto put = [this](bool draw, const std::string& text, const TextStyle& st, double x, double y, double w,
                      const std::string& label = {}) {
      return draw ? t_.draw(text, st, x, y, w, label) : t_.height(text, st, w, label);
    };
    auto figure = [=, this](double x, double y, bool draw) {
      const double fig_h = kFigureWidth * kFigureAspect;
      if (draw) draw_svg(t_.cr(), figures_[index].get(), x, y, kFigureWidth, fig_h);
      return fig_h;
    };
    auto steps = [=, this](double x, double y, double w, bool draw) {
      const double y0 = y;
      y += put(draw, fmt::format("{}. {}", index + 1, c.name.in(lang)), style(11.5, true), x, y, w) + 0.6 * kMm;
      if (ex.side == "left" || ex.side == "right")
        y += put(draw, tr("plan.side_" + ex.side), style(8.5, true, 0.25), x, y, w) + 0.6 * kMm;
      y += put(draw, c.why.in(lang), style(8.5), x, y, w, tr("plan.why") + ":") + 1 * kMm;
      const auto& list = c.steps_in(lang);
      const double num = 4 * kMm;
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (draw) t_.draw(fmt::format("{}.", i + 1), style(9, true), x, y, num);
        y += put(draw, list[i], style(9), x + num, y, w - num) + 0.5 * kMm;
      }
      y += 0.8 * kMm + put(draw, dose_text(a_, ex, lang), style(9, true), x, y + 0.8 * kMm, w, tr("plan.dose") + ":");
      if (ex.rung) y += 0.8 * kMm + rung(ex, draw, x, y + 0.8 * kMm, w);
      return y - y0;
    };
    auto details = [=, this](double x, double y, bool draw) {
      const double y0 = y;
      // A harder version the patient must not do is not offered: ask the team first.
      const std::string harder = p_.excluded.intersects(c.harder_needs) ? tr("plan.harder_ask") : c.harder.in(lang);
      for (auto [text, key] : {std::pair{c.feel.in(lang), "plan.feel"},
                               {c.easier.in(lang), "plan.easier"},
                               {harder, "plan.harder"},
                               {c.safety.in(lang), "plan.safety"}})
        y += put(draw, text, style(8.5), x, y, side_w, tr(key) + ":") + 1 * kMm;
      return y - y0;
    };
    auto mid_w = [=](double w) { return w - 2 * pad - kFigureWidth - side_w - 2 * gap; };
    auto height = [=](double w) {
      return 2 * pad + std::max({figure(0, 0, false), steps(0, 0, mid_w(w), false), details(0, 0, false)});
    };
    return {height, [=, this](double x, double y, double w) {
              rounded_box(t_.cr(), x, y, w, height(w), 2.5 * kMm, -1, 0.35);
              figure(x + pad, y + pad, true);
              steps(x + pad + kFigureWidth + gap, y + pad, mid_w(w), true);
              details(x + w - pad - side_w, y + pad, true);
            }};
  }

  // The card's place on its ladder, in one paragraph: this level, the next
  // one (or ask the team first), when to move up and when to step down.
  double rung(const PlannedExercise& ex, bool draw, double x, double y, double w) {
    const auto& r = *ex.rung;
    std::string text = fill(tr("rung.level"), {{"step", std::to_string(r.step)}, {"of", std::to_string(r.of)}});
    const bool may_move_up = r.next && !p_.excluded.intersects(r.next->needs);
    if (!r.next)
      text += " " + tr("rung.top");
    else if (!may_move_up)
      text += " " + tr("plan.harder_ask");
    else
      text += " " + fill(tr("rung.next"), {{"name", r.next->name.in(p_.lang)}}) + " " +
              plan_text(a_, p_, "rung.move_up." + r.ladder);
    text += " " + tr("rung.step_down_label") + ": " + plan_text(a_, p_, "rung.step_down." + r.ladder);
    const TextStyle st = style(8.5);
    return draw ? t_.draw(text, st, x, y, w, tr("rung.label") + ":") : t_.height(text, st, w, tr("rung.label") + ":");
  }

  Block tracker() {
    const int days = 14;
    const double name_w = 50 * kMm;
    auto row_h = [this] { return 4.8 * kMm * std::max(s(), 0.85); };
    auto intro_h = [this](double w) {
      return t_.height(tr("tracker.title"), style(12, true), w) + 1 * kMm + t_.height(tr("tracker.how"), style(9), w) +
             1.5 * kMm;
    };
    const std::size_t rows = p_.exercises.size() + 2;  // day numbers, exercises, morning pain
    return {
        [=, this](double w) { return intro_h(w) + static_cast<double>(rows) * row_h(); },
        [=, this](double x, double y, double w) {
          y += t_.draw(tr("tracker.title"), style(12, true), x, y, w) + 1 * kMm;
          y += t_.draw(tr("tracker.how"), style(9), x, y, w) + 1.5 * kMm;
          cairo_t* cr = t_.cr();
          const double cell = (w - name_w) / days, rh = row_h();
          t_.draw(tr("tracker.day"), style(8.5, true), x, y + 1 * kMm, name_w);
          for (int d = 0; d < days; ++d)
            t_.draw(std::to_string(d + 1), TextStyle{8.5, true, 0, false, true}, x + name_w + d * cell, y + 1 * kMm,
                    cell);
          for (std::size_t r = 1; r < rows; ++r) {
            const double ry = y + static_cast<double>(r) * rh;
            const std::string name =
                r <= p_.exercises.size() ? p_.exercises[r - 1].card->name.in(p_.lang) : tr("tracker.morning_pain");
            t_.draw(name, TextStyle{8.5, r > p_.exercises.size(), 0, true, false}, x, ry + 1.2 * kMm, name_w - 2 * kMm);
            for (int d = 0; d < days; ++d) {
              cairo_rectangle(cr, x + name_w + d * cell + 0.6 * kMm, ry + 0.6 * kMm, cell - 1.2 * kMm, rh - 1.2 * kMm);
              cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
              cairo_set_line_width(cr, d == 7 ? 1.2 : 0.6);
              cairo_stroke(cr);
            }
          }
        }};
  }

  Block recheck() {
    const auto day = std::chrono::sys_days(today_) + std::chrono::days(p_.recheck_days);
    const auto text = fill(tr("recheck.text"), {{"date", date_text(a_, p_.lang, std::chrono::year_month_day(day))},
                                                {"days", std::to_string(p_.recheck_days)}});
    Block b = paragraph(text, style(10, true), tr("recheck.title"));
    b.floating = true;
    return b;
  }

  // The clinic's links as QR codes (config [handout]); none on a refer sheet.
  void make_link_codes() {
    if (p_.refer) return;
    auto add = [this](const std::string& link, std::string label, bool exercise) {
      if (auto c = encode_qr(link))
        codes_.push_back({std::move(*c), std::move(label), exercise});
      else
        log::get("handout")->warn("no QR code: the link does not fit one that scans from paper: {}", link);
    };
    if (!o_.exercise_link.empty())
      for (std::size_t i = 0; i < p_.exercises.size(); ++i)
        add(handout::exercise_link(o_.exercise_link, p_.exercises[i].card->id),
            fmt::format("{}. {}", i + 1, p_.exercises[i].card->name.in(p_.lang)), true);
    if (!o_.sheet_link.empty()) add(o_.sheet_link, tr("link.sheet"), false);
  }

  // One row of codes, each with its label under it (the exercise's number
  // and name, or the sheet's words), under one line that says what to do.
  Block links() {
    const bool exercises = codes_.front().exercise;
    const std::string title = tr(exercises ? "link.title_exercises" : "link.title_sheet");
    const TextStyle label{7.5, false, 0.2, true, false};  // one line, cut with "…"
    auto cell_w = [this](double w) { return std::min(kQrSide + 4 * kMm, w / static_cast<double>(codes_.size())); };
    auto run = [=, this](double x, double y, double w, bool draw) {
      double h = (draw ? t_.draw(title, style(10, true), x, y, w) : t_.height(title, style(10, true), w)) + 1 * kMm;
      const double cw = cell_w(w), side = std::min(kQrSide, cw - 1 * kMm);
      double labels = 0;
      for (std::size_t i = 0; i < codes_.size(); ++i) {
        const double cx = x + static_cast<double>(i) * cw;
        if (draw) draw_qr(t_.cr(), codes_[i].code, cx, y + h, side);
        labels = std::max(labels, draw ? t_.draw(codes_[i].label, label, cx, y + h + side, side)
                                       : t_.height(codes_[i].label, label, side));
      }
      return h + side + labels;
    };
    Block b{[run](double w) { return run(0, 0, w, false); },
            [run](double x, double y, double w) { run(x, y, w, true); }};
    b.floating = true;
    return b;
  }

  void running_header(double x, double y, double w) {
    t_.draw(fmt::format("{}  ·  {}", clinic(), tr("doc.title")), style(8.5, false, 0.35), x, y, w);
  }

  void footer(double x, double y, double w, int page, int pages) {
    const auto n = fill(tr("doc.page"), {{"n", std::to_string(page)}, {"total", std::to_string(pages)}});
    const double nw = t_.width(n, style(7.5, false, 0.35)) + 2 * kMm;
    t_.draw(tr("doc.footer"), style(7.5, false, 0.35), x, y, w - nw - 3 * kMm);
    t_.draw(n, style(7.5, false, 0.35), x + w - nw + 2 * kMm, y, nw);
  }

 private:
  const HandoutAssets& a_;
  const Plan& p_;
  const RenderOptions& o_;
  PdfText& t_;
  std::chrono::year_month_day today_;
  std::vector<Svg> figures_;
  struct LinkCode {
    QrCode code;
    std::string label;
    bool exercise;  // else the sheet's
  };
  std::vector<LinkCode> codes_;  // the exercises' in plan order, then the sheet's; empty: no link set
};

// Which blocks go on which page, in drawing order; empty when they need more
// than kMaxPages. Blocks keep their order, except that a floating block
// goes to the first page that still has room for it.
std::vector<std::vector<std::size_t>> paginate(const std::vector<double>& heights, const std::vector<bool>& floating,
                                               double first, double other) {
  std::vector<std::vector<std::size_t>> pages(1);
  std::vector<double> left{first};
  for (std::size_t i = 0; i < heights.size(); ++i) {
    if (floating[i]) {
      bool placed = false;
      for (std::size_t p = 0; p < pages.size() && !placed; ++p)
        if (heights[i] <= left[p]) {
          pages[p].push_back(i);
          left[p] -= heights[i] + kBlockGap;
          placed = true;
        }
      if (placed) continue;
    }
    if (heights[i] > left.back() && !pages.back().empty()) {
      pages.emplace_back();
      left.push_back(other);
    }
    if (heights[i] > left.back()) return {};
    pages.back().push_back(i);
    left.back() -= heights[i] + kBlockGap;
  }
  if (pages.size() > static_cast<std::size_t>(kMaxPages)) return {};
  return pages;
}

std::chrono::year_month_day local_today() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  return std::chrono::year_month_day{std::chrono::year(tm.tm_year + 1900), std::chrono::month(tm.tm_mon + 1),
                                     std::chrono::day(tm.tm_mday)};
}

}  // namespace

RenderOptions render_options(const Config& config) {
  RenderOptions o;
  o.paper = config.paper;
  o.clinic_name = config.clinic_name;
  o.clinic_logo = config.clinic_logo;
  o.exercise_link = config.exercise_link;
  o.sheet_link = config.sheet_link;
  return o;
}

std::string date_text(const HandoutAssets& assets, std::string_view lang, std::chrono::year_month_day day) {
  return fill(
      assets.texts.get(lang, "date.format"),
      {{"day", std::to_string(static_cast<unsigned>(day.day()))},
       {"month", std::string(assets.texts.get(lang, fmt::format("date.month_{}", static_cast<unsigned>(day.month()))))},
       {"year", std::to_string(static_cast<int>(day.year()))}});
}

RenderResult render_pdf(const HandoutAssets& assets, const Plan& plan, const RenderOptions& options,
                        const std::filesystem::path& out) {
  const Paper paper = paper_size(options.paper);
  const auto today = options.today.ok() ? options.today : local_today();
  std::optional<PdfFile> pdf;
  try {
    pdf.emplace(out, paper, std::string(assets.texts.get(plan.lang, "doc.title")));
  } catch (const std::runtime_error&) {
    throw RenderError(fmt::format("{}: cannot write the handout PDF", out.string()));
  }
  cairo_t* cr = pdf->cr();
  const double x = kMargin, w = paper.width - 2 * kMargin;
  const double body_bottom = paper.height - kMargin - kFooterHeight;
  RenderResult result;
  std::string problem;
  // Each text size with the clinic's QR codes first; then without them (logged), rather than no sheet.
  RenderOptions plain = options;
  plain.exercise_link.clear();
  plain.sheet_link.clear();
  const std::size_t tries = std::size(kScales) * (options.exercise_link.empty() && options.sheet_link.empty() ? 1 : 2);
  for (std::size_t attempt = 0; attempt < tries; ++attempt) {
    const double scale = kScales[attempt % std::size(kScales)];
    const bool links = attempt < std::size(kScales);
    PdfText text(cr, scale);
    Handout h(assets, plan, links ? options : plain, text, today);
    auto blocks = h.blocks();
    std::vector<double> heights;
    std::vector<bool> floating;
    for (auto& b : blocks) {
      heights.push_back(b.height(w));
      floating.push_back(b.floating);
    }
    auto pages = paginate(heights, floating, body_bottom - kMargin, body_bottom - kMargin - kRunningHeader);
    if (std::getenv("KIOSK_HANDOUT_DEBUG")) {
      std::string hs;
      for (double v : heights) hs += fmt::format(" {:.0f}", v / kMm);
      fmt::print(stderr, "scale {} pages {} heights(mm){}\n", scale, pages.size(), hs);
    }
    if (pages.empty() || (plan.refer && pages.size() > 1)) continue;
    for (std::size_t p = 0; p < pages.size(); ++p) {
      double y = kMargin;
      if (p > 0) {
        h.running_header(x, y, w);
        y += kRunningHeader;
      }
      for (auto i : pages[p]) {
        blocks[i].draw(x, y, w);
        y += heights[i] + kBlockGap;
      }
      h.footer(x, paper.height - kMargin - kFooterHeight + 2.5 * kMm, w, static_cast<int>(p + 1),
               static_cast<int>(pages.size()));
      cairo_show_page(cr);
    }
    result.pages = static_cast<int>(pages.size());
    if (!links)
      log::get("handout")->warn("the clinic's QR codes do not fit this plan's two pages: printed without them");
    break;
  }
  if (result.pages == 0) throw RenderError("the handout does not fit on two pages even with smaller text");
  try {
    result.bytes = pdf->finish();
  } catch (const std::runtime_error& e) {
    throw RenderError(e.what());
  }
  return result;
}

}  // namespace kiosk::handout
