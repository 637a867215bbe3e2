/* kiosk_plate_battery.h — extension "kiosk.plate.battery/1": a wireless
 * plate's battery, radio link and own button, for staff screens and
 * `kioskctl device list`. Optional: wired plates return NULL for it.
 *
 * The patient is never asked to press the plate's button; the host may show
 * presses to a technician (e.g. "press the board's button to check it is
 * this one").
 */
#ifndef KIOSK_PLATE_BATTERY_H
#define KIOSK_PLATE_BATTERY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KP_EXT_BATTERY_V1 "kiosk.plate.battery/1"

/* kp_battery_status.link */
enum kp_link_state {
  KP_LINK_UNKNOWN = 0,
  KP_LINK_CONNECTED = 1, /* paired and in reach, not streaming */
  KP_LINK_STREAMING = 2, /* a stream is running */
  KP_LINK_AWAY = 3       /* seen since the plugin started, gone now: asleep, off or out of reach */
};

typedef struct kp_battery_status {
  uint32_t struct_size;    /* in: sizeof(kp_battery_status) as the host knows it */
  int32_t percent;         /* battery charge 0..100; -1 unknown */
  uint32_t link;           /* enum kp_link_state */
  uint32_t button_down;    /* 1 while the plate's own button is held (seen only while streaming) */
  uint32_t button_presses; /* presses seen since the plugin found the plate */
  uint32_t reserved;
  uint64_t battery_age_ms;     /* since `percent` was read; UINT64_MAX if never */
  uint64_t last_report_age_ms; /* since the last report while streaming; UINT64_MAX if none */
} kp_battery_status;

typedef struct kp_battery_v1 {
  uint32_t struct_size;
  /* [main] Fills `out` (up to out->struct_size) for a device id from
   * enumerate, also one that is away; KP_OK, KP_ERR_NO_DEVICE for an id
   * never seen, or another KP_ERR_*. */
  int (*get_status)(const char* device_id, kp_battery_status* out);
} kp_battery_v1;

#ifdef __cplusplus
}
#endif

#endif /* KIOSK_PLATE_BATTERY_H */
