/* protocol.h — the reference USB plate's wire protocol, version 1.
 *
 * The spec is devices/usbplate/PROTOCOL.md; this header is its one home in
 * code (numbers, layouts, decoders). Plain C11, no libusb: the receive path
 * (usbplate_rx) turns bulk transfer bytes into kp_samples and counts what it
 * had to drop, so it is tested without a device. All fields little-endian.
 */
#ifndef USBPLATE_PROTOCOL_H
#define USBPLATE_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk_plate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* USB identity: the pid.codes test pair (for private testing; a maker who
 * ships plates asks pid.codes for their own PID and adds it to kUsbIds). */
#define USBPLATE_VID 0x1209u
#define USBPLATE_PID 0x0001u
#define USBPLATE_IFACE_CLASS 0xFFu    /* vendor specific */
#define USBPLATE_IFACE_SUBCLASS 0x50u /* 'P' */
#define USBPLATE_IFACE_PROTOCOL 0x01u /* protocol version 1 */
#define USBPLATE_INTERFACE 0
#define USBPLATE_EP_STREAM 0x81u /* bulk IN, 64-byte packets */
#define USBPLATE_PROTOCOL_VERSION 1

/* Vendor control requests, all addressed to the device (wIndex 0). */
#define USBPLATE_RT_IN 0xC0u          /* device-to-host | vendor | device */
#define USBPLATE_RT_OUT 0x40u         /* host-to-device | vendor | device */
#define USBPLATE_REQ_GET_INFO 0x01u   /* IN, USBPLATE_INFO_SIZE bytes */
#define USBPLATE_REQ_SET_RATE 0x02u   /* OUT, wValue = rate in Hz; only while idle */
#define USBPLATE_REQ_START 0x03u      /* OUT; seq and device time restart at 0 */
#define USBPLATE_REQ_STOP 0x04u       /* OUT; idempotent; the queue is discarded */
#define USBPLATE_REQ_GET_STATUS 0x05u /* IN, USBPLATE_STATUS_SIZE bytes */

#define USBPLATE_INFO_SIZE 100u
#define USBPLATE_STATUS_SIZE 16u
#define USBPLATE_FRAME_SIZE 32u
#define USBPLATE_FRAME_CELLS 4u
#define USBPLATE_FRAME_TYPE_SAMPLE 0x01u
#define USBPLATE_FRAME_MAGIC0 0x46u /* 'F' */
#define USBPLATE_FRAME_MAGIC1 0x50u /* 'P' */
/* A transfer carries at most this many frames; hosts read in buffers of
 * exactly USBPLATE_TRANSFER_SIZE bytes. */
#define USBPLATE_MAX_FRAMES_PER_TRANSFER 64u
#define USBPLATE_TRANSFER_SIZE (USBPLATE_MAX_FRAMES_PER_TRANSFER * USBPLATE_FRAME_SIZE)

/* Frame status bits are the ABI's KP_STATUS_* bits, same values. */
#define USBPLATE_STATUS_MASK (KP_STATUS_OVERLOAD | KP_STATUS_SATURATED | KP_STATUS_CELL_FAULT)

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection); "123456789" -> 0x29B1. */
uint16_t usbplate_crc16(const uint8_t* bytes, size_t n);

typedef struct usbplate_frame {
  uint32_t seq;
  uint32_t t_us;       /* device time since START, µs, wraps at 2^32 */
  uint8_t status;      /* KP_STATUS_* bits */
  uint8_t cell_faults; /* bit n = cell n reads open or shorted */
  int32_t raw[USBPLATE_FRAME_CELLS];
} usbplate_frame;

/* 0 when `bytes` (USBPLATE_FRAME_SIZE of them) is a valid sample frame. */
int usbplate_decode_frame(const uint8_t* bytes, usbplate_frame* out);

/* GET_INFO, decoded. Positions in mm (sent as tenths of mm). */
typedef struct usbplate_info {
  uint8_t protocol_version;
  uint8_t cell_count;
  char serial[25];
  char firmware[17];
  float cell_x_mm[KIOSK_PLATE_MAX_CELLS];
  float cell_y_mm[KIOSK_PLATE_MAX_CELLS];
  uint8_t rate_count;
  uint8_t batch_ms;
  uint16_t fifo_frames;
  uint16_t rates_hz[KIOSK_PLATE_MAX_RATES];
  float newtons_per_count;
} usbplate_info;

/* 0, or -1 with the reason in `why` (for last_error and the log). */
int usbplate_decode_info(const uint8_t* bytes, size_t n, usbplate_info* out, char* why, size_t why_size);

/* GET_STATUS, decoded. */
typedef struct usbplate_status {
  uint8_t streaming;
  uint8_t status; /* KP_STATUS_* now */
  uint16_t rate_hz;
  uint32_t frames_sampled; /* since START */
  uint32_t frames_dropped; /* device queue overflowed (the host read too slowly) */
  uint8_t cell_faults;
} usbplate_status;

int usbplate_decode_status(const uint8_t* bytes, size_t n, usbplate_status* out);

/* What the receive path counted; all since start(). */
typedef struct usbplate_counts {
  uint64_t frames_ok;         /* delivered to the host */
  uint64_t frames_lost;       /* sequence numbers never delivered (gaps) */
  uint64_t frames_garbled;    /* bad magic, type or CRC: dropped */
  uint64_t frames_short;      /* a transfer ended inside a frame: the piece is dropped */
  uint64_t frames_misordered; /* older than one already delivered: dropped */
  uint64_t bursts_logged;     /* log lines about dropped frames */
} usbplate_counts;

/* Receive state of one stream. [device thread] only. */
typedef void (*usbplate_log_fn)(void* ctx, int level, const char* message);
typedef struct usbplate_rx {
  const char* device_id; /* for log lines; not owned */
  usbplate_log_fn log;
  void* log_ctx;
  int have_seq;
  uint32_t next_seq;
  uint32_t last_t_us;
  uint64_t t_high_us; /* adds 2^32 µs per wrap of the device clock */
  usbplate_counts counts;
  /* the open burst of dropped frames (logged once, when it ends) */
  uint64_t burst_garbled, burst_short, burst_misordered;
  uint64_t burst_opened_ns, now_ns;
} usbplate_rx;

void usbplate_rx_reset(usbplate_rx* rx, const char* device_id, usbplate_log_fn log, void* log_ctx);
/* Decodes one transfer's bytes into `out` (room for `max` samples, which must
 * be at least len / USBPLATE_FRAME_SIZE); returns how many. now_ns: a
 * monotonic clock, used only to log a very long burst at most once a second. */
size_t usbplate_rx_feed(usbplate_rx* rx, const uint8_t* bytes, size_t len, uint64_t now_ns, kp_sample* out, size_t max);
/* Logs the open burst, if any (at stream end). */
void usbplate_rx_flush_log(usbplate_rx* rx);

#ifdef __cplusplus
}
#endif

#endif /* USBPLATE_PROTOCOL_H */
