// A capture step on screen: get ready, 3-2-1, then the live view (the
// detector's own, ui/screens/live_views.h; else time with the COP on the
// plate or a force bar) with Done and Start again, and the end of a capture
// that ended by itself while the journey holds it.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "ui/screens/journey_screens.h"
#include "ui/screens/live_views.h"
#include "ui/theme.h"

namespace kiosk::ui {
namespace {

// The plate seen from above (person facing up the screen), COP dot and trail.
void draw_cop(ScreenContext& ctx, const plates::LiveView& view, float height) {
  constexpr float kHalfX_mm = 200, kHalfY_mm = 250;  // the drawing's extent
  const float h = height, w = h * kHalfX_mm / kHalfY_mm;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 c{at.x + ImGui::GetContentRegionAvail().x * 0.5f, at.y + h * 0.5f};
  auto map = [&](float x_mm, float y_mm) {
    return ImVec2{c.x + x_mm / kHalfX_mm * w * 0.5f, c.y - y_mm / kHalfY_mm * h * 0.5f};
  };
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(map(-kHalfX_mm, kHalfY_mm), map(kHalfX_mm, -kHalfY_mm), IM_COL32(255, 255, 255, 255),
                    12 * ctx.scale);
  dl->AddRect(map(-kHalfX_mm, kHalfY_mm), map(kHalfX_mm, -kHalfY_mm), to_u32(palette::kMuted), 12 * ctx.scale, 0,
              3 * ctx.scale);
  dl->AddLine(map(-kHalfX_mm, 0), map(kHalfX_mm, 0), to_u32(palette::kMuted, 0.3f), 2 * ctx.scale);
  dl->AddLine(map(0, -kHalfY_mm), map(0, kHalfY_mm), to_u32(palette::kMuted, 0.3f), 2 * ctx.scale);
  draw_cop_trail(ctx, view, c, h * 0.5f / kHalfY_mm);
  const float x = std::clamp(static_cast<float>(view.latest.cop_x_mm), -kHalfX_mm, kHalfX_mm);
  const float y = std::clamp(static_cast<float>(view.latest.cop_y_mm), -kHalfY_mm, kHalfY_mm);
  dl->AddCircleFilled(map(x, y), 18 * ctx.scale, to_u32(palette::kAccent), 32);
  ImGui::Dummy({w, h});
}

// Force as a bar against the highest seen (the person's weight, about).
void draw_force(ScreenContext& ctx, const plates::LiveView& view) {
  const float w = std::min(ImGui::GetContentRegionAvail().x * 0.7f, 1000 * ctx.scale), h = 60 * ctx.scale;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 a{at.x + (ImGui::GetContentRegionAvail().x - w) * 0.5f, at.y};
  const float f = view.peak_fz_n > 0 ? static_cast<float>(std::max(0.0, view.latest.fz_n) / (view.peak_fz_n * 1.2)) : 0;
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, {a.x + w, a.y + h}, IM_COL32(225, 230, 235, 255), h * 0.5f);
  dl->AddRectFilled(a, {a.x + w * std::clamp(f, 0.02f, 1.0f), a.y + h}, to_u32(palette::kPrimary), h * 0.5f);
  ImGui::Dummy({w, h});
}

// The detectors with a view of their own (ui/screens/live_views.h).
bool has_live_view(std::string_view detector) {
  return detector == "heel_raise_count" || detector == "single_leg_stance" || detector == "heel_contact";
}

// Room the row of buttons under a live view takes: a touch target and the space above it.
float buttons_height(const ScreenContext& ctx) { return min_target_px() + 60 * ctx.scale; }

}  // namespace

void draw_capture(ScreenContext& ctx, journey::Journey& j) {
  const auto& step = *j.step();
  ImGui::SetNextWindowBgAlpha(0);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float top = 150 * ctx.scale;
  ImGui::SetNextWindowPos({vp->Pos.x, vp->Pos.y + top});
  ImGui::SetNextWindowSize({vp->Size.x, vp->Size.y - top});
  ImGui::Begin("capture", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  switch (j.capture_phase()) {
    case journey::CapturePhase::ready:
      body_text(ctx, step.text.in(j.lang()));
      vertical_space(ctx, 40);
      if (big_button(ctx, ctx.tr("capture.start"), "start")) j.start_capture();
      if (j.can_skip()) {
        vertical_space(ctx, 12);
        skip_button(ctx, j);
      }
      break;
    case journey::CapturePhase::counting_in: {
      vertical_space(ctx, 80);
      title_text(ctx, ctx.tr("capture.get_ready"));
      const auto n = fmt::format("{:.0f}", std::max(1.0, std::ceil(j.count_in_left_s())));
      centred_text(ctx.fonts.huge, n, ImGui::GetContentRegionAvail().x, palette::kPrimary);
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(50));
      break;
    }
    case journey::CapturePhase::live: {
      // Live data at up to 60 fps; never faster, even where nothing paces present() (no vsync).
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(16));
      const auto* live = j.live();
      if (!live) break;
      if (has_live_view(step.detector)) {
        draw_live_view(ctx, j, ImGui::GetContentRegionAvail().y - buttons_height(ctx));
      } else {  // a detector without its own view: time, and the script's view of the plate
        const auto seconds = fmt::format("{:.0f} s", std::floor(live->elapsed_s()));
        centred_text(ctx.fonts.huge, seconds, ImGui::GetContentRegionAvail().x, palette::kText);
        const float room = ImGui::GetContentRegionAvail().y - 220 * ctx.scale;
        if (step.view == "force")
          draw_force(ctx, live->view());
        else
          draw_cop(ctx, live->view(), std::max(120 * ctx.scale, room));
      }
      vertical_space(ctx, 12);
      const auto pressed = button_row(ctx, {std::string(ctx.tr("common.done")), std::string(ctx.tr("capture.retry"))},
                                      "live", {"capture_done", "retry"});
      if (pressed == 0u) j.finish_capture();
      if (pressed == 1u) j.retry_capture();
      break;
    }
    case journey::CapturePhase::ended: {  // held for a moment by the journey; Next goes on at once
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(100));
      draw_capture_end(ctx, j, ImGui::GetContentRegionAvail().y - buttons_height(ctx));
      vertical_space(ctx, 12);
      if (big_button(ctx, ctx.tr("common.next"), "capture_next")) j.finish_capture();
      break;
    }
  }
  ImGui::End();
}

}  // namespace kiosk::ui
