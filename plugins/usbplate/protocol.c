/* protocol.c — decoding the reference plate's wire format (PROTOCOL.md) and
 * the receive path: frame checks, sequence accounting, burst logging. */
#include "protocol.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static uint16_t le16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

uint16_t usbplate_crc16(const uint8_t* bytes, size_t n) {
  uint16_t crc = 0xFFFFu;
  for (size_t i = 0; i < n; ++i) {
    crc ^= (uint16_t)(bytes[i] << 8);
    for (int b = 0; b < 8; ++b) crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
  }
  return crc;
}

int usbplate_decode_frame(const uint8_t* p, usbplate_frame* out) {
  if (p[0] != USBPLATE_FRAME_MAGIC0 || p[1] != USBPLATE_FRAME_MAGIC1) return -1;
  if (p[2] != USBPLATE_FRAME_TYPE_SAMPLE) return -1;
  if (usbplate_crc16(p, USBPLATE_FRAME_SIZE - 2) != le16(p + 30)) return -1;
  out->status = (uint8_t)(p[3] & USBPLATE_STATUS_MASK);
  out->seq = le32(p + 4);
  out->t_us = le32(p + 8);
  for (unsigned c = 0; c < USBPLATE_FRAME_CELLS; ++c) out->raw[c] = (int32_t)le32(p + 12 + 4 * c);
  out->cell_faults = p[28];
  return 0;
}

/* A NUL-padded ASCII field into a C string; 0 if it is printable text. */
static int copy_text(char* dst, const uint8_t* src, size_t n) {
  size_t len = 0;
  while (len < n && src[len]) ++len;
  for (size_t i = 0; i < len; ++i)
    if (src[i] < 0x20 || src[i] > 0x7E) return -1;
  memcpy(dst, src, len);
  dst[len] = '\0';
  return 0;
}

static int refuse(char* why, size_t why_size, const char* text) {
  if (why && why_size) snprintf(why, why_size, "GET_INFO: %s", text);
  return -1;
}

int usbplate_decode_info(const uint8_t* p, size_t n, usbplate_info* out, char* why, size_t why_size) {
  memset(out, 0, sizeof *out);
  if (n < USBPLATE_INFO_SIZE || p[1] < USBPLATE_INFO_SIZE) return refuse(why, why_size, "reply too short");
  if (p[0] < 1) return refuse(why, why_size, "info version 0");
  out->protocol_version = p[2];
  if (out->protocol_version != USBPLATE_PROTOCOL_VERSION) return refuse(why, why_size, "protocol version is not 1");
  out->cell_count = p[3];
  if (out->cell_count < 1 || out->cell_count > USBPLATE_FRAME_CELLS)
    return refuse(why, why_size, "cell count must be 1 to 4 in protocol 1");
  if (copy_text(out->serial, p + 4, 24) != 0 || out->serial[0] == '\0')
    return refuse(why, why_size, "serial is empty or not printable ASCII");
  if (copy_text(out->firmware, p + 28, 16) != 0) return refuse(why, why_size, "firmware is not printable ASCII");
  for (unsigned c = 0; c < KIOSK_PLATE_MAX_CELLS; ++c) {
    out->cell_x_mm[c] = (float)(int16_t)le16(p + 44 + 2 * c) / 10.0f;
    out->cell_y_mm[c] = (float)(int16_t)le16(p + 60 + 2 * c) / 10.0f;
  }
  out->rate_count = p[76];
  out->batch_ms = p[77];
  out->fifo_frames = le16(p + 78);
  if (out->rate_count < 1 || out->rate_count > KIOSK_PLATE_MAX_RATES)
    return refuse(why, why_size, "rate count must be 1 to 8");
  for (unsigned r = 0; r < out->rate_count; ++r) {
    out->rates_hz[r] = le16(p + 80 + 2 * r);
    if (out->rates_hz[r] == 0) return refuse(why, why_size, "a rate is 0 Hz");
  }
  uint32_t gain_bits = le32(p + 96);
  memcpy(&out->newtons_per_count, &gain_bits, sizeof gain_bits);
  if (!isfinite(out->newtons_per_count) || out->newtons_per_count <= 0)
    return refuse(why, why_size, "newtons per count must be a positive number");
  return 0;
}

int usbplate_decode_status(const uint8_t* p, size_t n, usbplate_status* out) {
  if (n < USBPLATE_STATUS_SIZE) return -1;
  out->streaming = p[0];
  out->status = (uint8_t)(p[1] & USBPLATE_STATUS_MASK);
  out->rate_hz = le16(p + 2);
  out->frames_sampled = le32(p + 4);
  out->frames_dropped = le32(p + 8);
  out->cell_faults = p[12];
  return 0;
}

void usbplate_rx_reset(usbplate_rx* rx, const char* device_id, usbplate_log_fn log, void* log_ctx) {
  memset(rx, 0, sizeof *rx);
  rx->device_id = device_id;
  rx->log = log;
  rx->log_ctx = log_ctx;
}

static int burst_open(const usbplate_rx* rx) { return rx->burst_garbled + rx->burst_short + rx->burst_misordered > 0; }

void usbplate_rx_flush_log(usbplate_rx* rx) {
  if (!burst_open(rx)) return;
  char line[256];
  snprintf(line, sizeof line, "%s: dropped %llu bad frames (garbled=%llu short=%llu out_of_order=%llu) before seq %lu",
           rx->device_id, (unsigned long long)(rx->burst_garbled + rx->burst_short + rx->burst_misordered),
           (unsigned long long)rx->burst_garbled, (unsigned long long)rx->burst_short,
           (unsigned long long)rx->burst_misordered, (unsigned long)rx->next_seq);
  if (rx->log) rx->log(rx->log_ctx, KP_LOG_WARN, line);
  rx->counts.bursts_logged++;
  rx->burst_garbled = rx->burst_short = rx->burst_misordered = 0;
}

static void note_bad(usbplate_rx* rx, uint64_t* burst_counter, uint64_t* total) {
  if (!burst_open(rx)) rx->burst_opened_ns = rx->now_ns;
  ++*burst_counter;
  ++*total;
}

size_t usbplate_rx_feed(usbplate_rx* rx, const uint8_t* bytes, size_t len, uint64_t now_ns, kp_sample* out,
                        size_t max) {
  size_t produced = 0;
  rx->now_ns = now_ns;
  for (size_t off = 0; off + USBPLATE_FRAME_SIZE <= len && produced < max; off += USBPLATE_FRAME_SIZE) {
    usbplate_frame f;
    if (usbplate_decode_frame(bytes + off, &f) != 0) {
      note_bad(rx, &rx->burst_garbled, &rx->counts.frames_garbled);
      continue;
    }
    if (rx->have_seq) {
      const int32_t ahead = (int32_t)(f.seq - rx->next_seq); /* modulo 2^32 */
      if (ahead < 0) {
        note_bad(rx, &rx->burst_misordered, &rx->counts.frames_misordered);
        continue;
      }
      rx->counts.frames_lost += (uint32_t)ahead;
      if (f.t_us < rx->last_t_us) rx->t_high_us += 1ull << 32; /* the device clock wrapped */
    }
    usbplate_rx_flush_log(rx); /* a good frame ends a burst */
    rx->have_seq = 1;
    rx->next_seq = f.seq + 1;
    rx->last_t_us = f.t_us;
    kp_sample* s = &out[produced++];
    memset(s, 0, sizeof *s);
    s->t_ns = (rx->t_high_us + f.t_us) * 1000ull;
    s->seq = f.seq;
    s->status = f.status;
    for (unsigned c = 0; c < USBPLATE_FRAME_CELLS; ++c) s->raw[c] = f.raw[c];
    rx->counts.frames_ok++;
  }
  if (len % USBPLATE_FRAME_SIZE) note_bad(rx, &rx->burst_short, &rx->counts.frames_short);
  if (burst_open(rx) && now_ns - rx->burst_opened_ns >= 1000000000ull) usbplate_rx_flush_log(rx);
  return produced;
}
