#include "ui/illustration.h"

#include <SDL.h>
#include <cairo.h>
#include <imgui.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/log.h"
#include "ui/fonts.h"
#include "ui/widgets.h"

namespace kiosk::ui {
namespace {
constexpr float kAspect = 240.0f / 170.0f;  // the figures' view box (draw_figures.py VIEW_W / VIEW_H)
constexpr std::size_t kMaxStills = 16;      // a relayout makes new sizes; old ones go
}  // namespace

Image rasterize_svg(const std::filesystem::path& svg, int width, int height) {
  Image out;
  if (width <= 0 || height <= 0) return out;
  GError* err = nullptr;
  RsvgHandle* h = rsvg_handle_new_from_file(svg.c_str(), &err);
  if (!h) {
    if (err) g_error_free(err);
    return out;
  }
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  cairo_t* cr = cairo_create(surface);
  const RsvgRectangle box{0, 0, static_cast<double>(width), static_cast<double>(height)};
  const bool drawn = rsvg_handle_render_document(h, cr, &box, &err);
  if (err) g_error_free(err);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  if (drawn) {
    out.width = width;
    out.height = height;
    out.rgba.resize(static_cast<std::size_t>(width) * height * 4);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        uint32_t px;  // cairo: premultiplied ARGB in native byte order
        std::memcpy(&px, data + y * stride + x * 4, 4);
        const uint32_t a = px >> 24;
        auto straight = [a](uint32_t c) {
          return static_cast<uint8_t>(a ? std::min<uint32_t>(255, (c * 255 + a / 2) / a) : 0);
        };
        uint8_t* o = &out.rgba[(static_cast<std::size_t>(y) * width + x) * 4];
        o[0] = straight((px >> 16) & 0xff);
        o[1] = straight((px >> 8) & 0xff);
        o[2] = straight(px & 0xff);
        o[3] = static_cast<uint8_t>(a);
      }
    }
  }
  cairo_surface_destroy(surface);
  g_object_unref(h);
  return out;
}

// ---------------------------------------------------------------- Animation

void Animation::start(const media::Illustration& ill, Clock::time_point now) {
  frames_.clear();
  for (const auto& f : ill.frames) frames_.push_back(f.ms);
  loops_ = ill.loops;
  loop_ms_ = ill.loop_ms();
  start_ = now;
}

std::optional<std::size_t> Animation::frame(Clock::time_point now) const {
  if (frames_.empty() || now < start_) return std::nullopt;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
  if (ms >= static_cast<long long>(loop_ms_) * loops_) return std::nullopt;
  long long in_loop = ms % loop_ms_;
  for (std::size_t i = 0; i < frames_.size(); ++i) {
    if (in_loop < frames_[i]) return i;
    in_loop -= frames_[i];
  }
  return frames_.size() - 1;
}

std::optional<Animation::Clock::time_point> Animation::next_change(Clock::time_point now) const {
  if (!frame(now)) return std::nullopt;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
  long long edge = (ms / loop_ms_) * loop_ms_;
  for (const int f : frames_) {
    edge += f;
    if (edge > ms) break;
  }
  return start_ + std::chrono::milliseconds(edge);
}

// ---------------------------------------------------------------- Illustrations

Illustrations::~Illustrations() {
  for (auto& [key, t] : stills_) SDL_DestroyTexture(t);
  if (frame_texture_) SDL_DestroyTexture(frame_texture_);
}

const media::Illustration* Illustrations::find(const std::string& id) {
  if (id.empty() || missing_.count(id)) return nullptr;
  if (const auto it = loaded_.find(id); it != loaded_.end()) return &it->second;
  try {
    return &loaded_.emplace(id, media::load_illustration(dirs_, id)).first->second;
  } catch (const media::IllustrationError& e) {
    missing_.insert(id);
    log::get("ui")->warn("illustration not shown: {}", e.what());
    return nullptr;
  }
}

SDL_Texture* Illustrations::texture_for(const std::filesystem::path& svg, int w, int h, bool animation) {
  const auto key = std::make_tuple(svg.string(), w, h);
  if (!animation) {
    if (const auto it = stills_.find(key); it != stills_.end()) return it->second;
  } else if (frame_texture_ && frame_key_ == key) {
    return frame_texture_;
  }
  const Image image = rasterize_svg(svg, w, h);
  if (image.rgba.empty()) return nullptr;
  SDL_Texture* t = animation && frame_texture_ && std::get<1>(frame_key_) == w && std::get<2>(frame_key_) == h
                       ? frame_texture_
                       : SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, w, h);
  if (!t) return nullptr;
  SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
  SDL_UpdateTexture(t, nullptr, image.rgba.data(), w * 4);
  if (animation) {
    if (frame_texture_ && frame_texture_ != t) SDL_DestroyTexture(frame_texture_);
    frame_texture_ = t;
    frame_key_ = key;
  } else {
    if (stills_.size() >= kMaxStills) {
      for (auto& [k, old] : stills_) SDL_DestroyTexture(old);
      stills_.clear();
    }
    stills_.emplace(key, t);
  }
  return t;
}

bool Illustrations::draw_panel(const ScreenContext& ctx, const std::string& id, int screen, float width, float height) {
  const auto* ill = find(id);
  if (!ill) return false;
  if (screen != animation_screen_) {
    animation_.stop();
    animation_screen_ = screen;
  }
  const auto& style = ImGui::GetStyle();
  // "Show me" in the big buttons' font, or the body's where the column is too narrow for it.
  const std::string label = std::string(ctx.tr("illustration.show_me")) + "##show_me";
  ImGui::PushFont(ctx.fonts.title);
  const float title_w = ImGui::CalcTextSize(label.c_str(), nullptr, true).x + 2 * style.FramePadding.x;
  ImGui::PopFont();
  ImFont* font = title_w <= width ? ctx.fonts.title : ctx.fonts.body;
  const float button_h = font->FontSize + style.FramePadding.y * 2 + style.ItemSpacing.y * 2;
  const float pic_w = std::max(1.0f, std::min(width, (height - button_h) * kAspect));
  const float pic_h = pic_w / kAspect;
  const float fb = ImGui::GetIO().DisplayFramebufferScale.x;
  const int px_w = static_cast<int>(std::lround(pic_w * fb)), px_h = static_cast<int>(std::lround(pic_h * fb));
  const auto frame = animation_.frame(ctx.now);
  SDL_Texture* t =
      frame ? texture_for(ill->frames[*frame].svg, px_w, px_h, true) : texture_for(ill->still, px_w, px_h, false);
  if (const auto next = animation_.next_change(ctx.now)) ctx.pacer.request_frame_at(*next);  // only while playing
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - pic_w) * 0.5f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(at, {at.x + pic_w, at.y + pic_h}, IM_COL32(255, 255, 255, 255),
                                            12 * ctx.scale);
  if (t)
    ImGui::Image(reinterpret_cast<ImTextureID>(t), {pic_w, pic_h});
  else
    ImGui::Dummy({pic_w, pic_h});
  const float button_w = std::min(width, std::max(width * 0.8f, title_w));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - button_w) * 0.5f);
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));  // on the primary colour, as big_button
  if (ImGui::Button(label.c_str(), {button_w, 0})) {
    animation_.start(*ill, ctx.now);
    ctx.pacer.request_frame_at(ctx.now);
  }
  ImGui::PopStyleColor();
  ImGui::PopFont();
  return true;
}

namespace {
// The picture's column: as wide as it may be (up to 36 %) while the words and
// a button under them still fit the height (short screens such as 800x480).
float picture_column(const ScreenContext& ctx, std::string_view words, ImVec2 avail) {
  const auto& style = ImGui::GetStyle();
  const float below = ctx.fonts.title->FontSize + 2 * style.FramePadding.y + 4 * style.ItemSpacing.y + 44 * ctx.scale;
  ImGui::PushFont(ctx.fonts.body);
  float fraction = 0.36f;
  for (; fraction > 0.25f; fraction -= 0.03f) {
    const float wrap = std::min(avail.x * (1 - fraction) - style.ItemSpacing.x, 1400 * ctx.scale);
    if (ImGui::CalcTextSize(words.data(), words.data() + words.size(), false, wrap).y + below <= avail.y) break;
  }
  ImGui::PopFont();
  return std::min(avail.x * fraction, avail.y * 1.1f);
}
}  // namespace

IllustratedLayout begin_illustrated(const ScreenContext& ctx, const std::string& id, int screen,
                                    std::string_view words) {
  IllustratedLayout layout;
  if (id.empty() || !ctx.illustrations || !ctx.illustrations->find(id)) return layout;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  layout.picture = true;
  if (avail.x > avail.y * 1.2f) {  // landscape: picture left, words right
    const float col = picture_column(ctx, words, avail);
    ImGui::BeginChild("picture", {col, avail.y}, false, ImGuiWindowFlags_NoScrollbar);
    ctx.illustrations->draw_panel(ctx, id, screen, col - ImGui::GetStyle().ItemSpacing.x, avail.y);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("words", {0, avail.y}, false);
    layout.column = true;
  } else {  // portrait: picture above the words
    ctx.illustrations->draw_panel(ctx, id, screen, avail.x, std::min(avail.y * 0.34f, avail.x / kAspect));
    vertical_space(ctx, 16);
  }
  return layout;
}

void end_illustrated(const IllustratedLayout& layout) {
  if (!layout.column) return;
  drag_to_scroll();  // the words beside the picture, taller than the screen (large text on 800x480)
  ImGui::EndChild();
}

}  // namespace kiosk::ui
