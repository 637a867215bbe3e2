/* kiosk_plate_link.h — extension "kiosk.plate.link/1": what a wired plate's
 * link dropped or recovered from, for staff screens, `kioskctl device stream`
 * and tests. Optional: plugins without a wire (sim) return NULL for it.
 *
 * Counts run from the last start() of the handle. "lost" counts sequence
 * numbers never delivered, whatever the cause (bad frames, device queue
 * overflow, bus errors); the other counts say what was seen on the wire.
 */
#ifndef KIOSK_PLATE_LINK_H
#define KIOSK_PLATE_LINK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KP_EXT_LINK_V1 "kiosk.plate.link/1"

typedef struct kp_link_stats {
  uint32_t struct_size;       /* in: sizeof(kp_link_stats) as the host knows it */
  uint64_t frames_ok;         /* delivered through kp_samples_fn */
  uint64_t frames_lost;       /* sequence numbers never delivered */
  uint64_t frames_garbled;    /* failed the frame check; dropped */
  uint64_t frames_short;      /* cut off mid-frame; dropped */
  uint64_t frames_misordered; /* older than one already delivered; dropped */
  uint64_t stalls;            /* endpoint halts the plugin cleared before resuming */
  uint64_t timeouts;          /* transfers that ended with no data in time */
  uint64_t bad_bursts_logged; /* log lines about dropped frames (one per burst) */
} kp_link_stats;

typedef struct kp_link_v1 {
  uint32_t struct_size;
  /* [any] Fills `out` (up to out->struct_size) for an open handle; KP_OK or KP_ERR_*. */
  int (*get_stats)(void* handle, kp_link_stats* out);
} kp_link_v1;

#ifdef __cplusplus
}
#endif

#endif /* KIOSK_PLATE_LINK_H */
