// The device side of PROTOCOL.md, written from the spec independently of the
// plugin's decoder (so a mistake in one shows up against the other): frame,
// GET_INFO and GET_STATUS encoders, string descriptors, the descriptors.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "emulated_plate.h"

namespace kiosk::usbemu::wire {

inline constexpr uint16_t kVid = 0x1209, kPid = 0x0001;
inline constexpr uint8_t kEpStream = 0x81;
inline constexpr size_t kFrameSize = 32, kInfoSize = 100, kStatusSize = 16, kMaxFramesPerTransfer = 64;
enum Request : uint8_t { kGetInfo = 0x01, kSetRate = 0x02, kStart = 0x03, kStop = 0x04, kGetStatus = 0x05 };

using Frame = std::array<uint8_t, kFrameSize>;

Frame encode_frame(uint32_t seq, uint32_t t_us, uint8_t status, uint8_t cell_faults, const int32_t (&raw)[4]);
std::vector<uint8_t> encode_info(const PlateSpec& spec);
std::vector<uint8_t> encode_status(bool streaming, uint8_t status, uint16_t rate_hz, uint32_t sampled, uint32_t dropped,
                                   uint8_t cell_faults);
std::vector<uint8_t> string_descriptor(const std::string& ascii);  // UTF-16LE, bDescriptorType 3
std::vector<uint8_t> device_descriptor();                          // 18 bytes
std::vector<uint8_t> config_descriptor();                          // config + interface + endpoint

}  // namespace kiosk::usbemu::wire
