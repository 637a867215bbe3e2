#include "wire.h"

#include <cmath>
#include <cstring>

namespace kiosk::usbemu::wire {
namespace {

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// CRC-16/CCITT-FALSE, computed with a 256-entry table (the plugin uses the bitwise form).
uint16_t crc16(const uint8_t* p, size_t n) {
  static const auto table = [] {
    std::array<uint16_t, 256> t{};
    for (unsigned i = 0; i < 256; ++i) {
      uint16_t v = static_cast<uint16_t>(i << 8);
      for (int b = 0; b < 8; ++b) v = static_cast<uint16_t>((v & 0x8000) ? (v << 1) ^ 0x1021 : v << 1);
      t[i] = v;
    }
    return t;
  }();
  uint16_t crc = 0xFFFF;
  for (size_t i = 0; i < n; ++i) crc = static_cast<uint16_t>((crc << 8) ^ table[((crc >> 8) ^ p[i]) & 0xFF]);
  return crc;
}

void put_text(uint8_t* p, size_t field, const std::string& s) {
  std::memset(p, 0, field);
  std::memcpy(p, s.data(), std::min(s.size(), field));
}

int16_t tenths(float mm) { return static_cast<int16_t>(std::lround(mm * 10.0f)); }

}  // namespace

Frame encode_frame(uint32_t seq, uint32_t t_us, uint8_t status, uint8_t cell_faults, const int32_t (&raw)[4]) {
  Frame f{};
  f[0] = 'F';
  f[1] = 'P';
  f[2] = 0x01;  // sample frame
  f[3] = status;
  put32(&f[4], seq);
  put32(&f[8], t_us);
  for (int c = 0; c < 4; ++c) put32(&f[12 + 4 * c], static_cast<uint32_t>(raw[c]));
  f[28] = cell_faults;
  f[29] = 0;
  put16(&f[30], crc16(f.data(), 30));
  return f;
}

std::vector<uint8_t> encode_info(const PlateSpec& spec) {
  std::vector<uint8_t> b(kInfoSize, 0);
  b[0] = 1;  // info version
  b[1] = static_cast<uint8_t>(kInfoSize);
  b[2] = 1;  // protocol version
  b[3] = 4;  // cells
  put_text(&b[4], 24, spec.serial);
  put_text(&b[28], 16, spec.firmware);
  for (int c = 0; c < 4; ++c) {
    put16(&b[44 + 2 * c], static_cast<uint16_t>(tenths(spec.cell_x_mm[c])));
    put16(&b[60 + 2 * c], static_cast<uint16_t>(tenths(spec.cell_y_mm[c])));
  }
  b[76] = static_cast<uint8_t>(std::min<size_t>(spec.rates_hz.size(), 8));
  b[77] = spec.batch_ms;
  put16(&b[78], spec.fifo_frames);
  for (size_t r = 0; r < b[76]; ++r) put16(&b[80 + 2 * r], spec.rates_hz[r]);
  uint32_t gain;
  std::memcpy(&gain, &spec.newtons_per_count, 4);
  put32(&b[96], gain);
  return b;
}

std::vector<uint8_t> encode_status(bool streaming, uint8_t status, uint16_t rate_hz, uint32_t sampled, uint32_t dropped,
                                   uint8_t cell_faults) {
  std::vector<uint8_t> b(kStatusSize, 0);
  b[0] = streaming ? 1 : 0;
  b[1] = status;
  put16(&b[2], rate_hz);
  put32(&b[4], sampled);
  put32(&b[8], dropped);
  b[12] = cell_faults;
  return b;
}

std::vector<uint8_t> string_descriptor(const std::string& ascii) {
  std::vector<uint8_t> d{static_cast<uint8_t>(2 + 2 * ascii.size()), 0x03};
  for (char c : ascii) {
    d.push_back(static_cast<uint8_t>(c));
    d.push_back(0);
  }
  return d;
}

std::vector<uint8_t> device_descriptor() {
  return {0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01};
}

std::vector<uint8_t> config_descriptor() {
  return {0x09, 0x02, 0x19, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,  // configuration 1, bus powered, 100 mA
          0x09, 0x04, 0x00, 0x00, 0x01, 0xFF, 0x50, 0x01, 0x00,  // interface 0: vendor, 'P', protocol 1
          0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00};             // EP1 IN bulk, 64-byte packets
}

}  // namespace kiosk::usbemu::wire
