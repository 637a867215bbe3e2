/* wiiboard.h — the Wii Balance Board plugin's parts, shared by its files (not ABI).
 *
 * The board is Linux's: once paired over Bluetooth, hid-wiimote turns it into
 * an evdev input device ("Nintendo Wii Remote Balance Board", four absolute
 * axes in 10 g units, BTN_A) with a power_supply battery. See README.md here.
 *
 * Threads: every libudev and libevdev call and every callback to the host
 * happens on the plugin's one I/O thread ("wiiboard-io"), which poll()s the
 * udev monitor, the streaming boards' nodes and a wake-up eventfd. The host's
 * [main] calls are handed to it as jobs (api.c) and waited for.
 *
 *   api.c      ABI glue: init/deinit, the I/O thread and its jobs, kp_* calls
 *   registry.c which boards Linux has: udev enumerate, monitor (or a fallback poll), battery
 *   board.c    one board's evdev node: probe, stream, samples, loss, the end of a stream
 */
#ifndef WIIBOARD_WIIBOARD_H
#define WIIBOARD_WIIBOARD_H

#include <pthread.h>
#include <stdint.h>

#include "kiosk_plate.h"
#include "kiosk_plate_battery.h"
#include "kiosk_plate_link.h"

#define WIIBOARD_NAME "Nintendo Wii Remote Balance Board" /* hid-wiimote: WIIMOTE_NAME " Balance Board" */
#define WIIBOARD_UDEV_RULE "deploy/udev/70-kiosk-wiiboard.rules"
#define WIIBOARD_MAX_BOARDS 8
#define WIIBOARD_RATE_HZ 100              /* the nominal report rate; reports come when the board sends them */
#define WIIBOARD_NEWTONS_PER_COUNT 0.0981 /* the kernel's unit is 10 g: 0.01 kg × 9.81 m/s² */
#define WIIBOARD_BATTERY_MAX_AGE_MS 60000 /* re-read the battery at most once a minute, never while streaming */
#define WIIBOARD_POLL_MS 1000             /* the fallback poll's period, and the I/O thread's longest sleep */
#define WIIBOARD_MAX_BATCH 64             /* samples handed to the host per callback */
#define WIIBOARD_BATCH_MS                                          \
  50 /* a streaming board is read at most this often: ~5 reports a \
        wake-up, each syscall counts; evdev holds 64 events (~12 reports) */

typedef struct wb_handle wb_handle;

/* One board Linux has shown since init (present now or away). */
typedef struct wb_entry {
  int used;
  int present;       /* its evdev node exists now */
  int usable;        /* present, readable and with all four axes */
  int denied;        /* present but the node may not be opened (no udev rule) */
  char problem[160]; /* why not usable, for last_error and the log */
  char syspath[256]; /* of the evdev node (".../input/inputN/eventM") */
  char devnode[64];  /* /dev/input/eventM */
  kp_device_info info;
  int32_t battery_percent; /* -1 unknown */
  uint64_t battery_read_ns;
  uint32_t button_presses;
  int button_down;
  wb_handle* open; /* the handle open on it, or NULL */
} wb_entry;

/* An open board: the handle kp_devices_v1.open returns. Fields are the I/O
 * thread's, except `stats` (under stats_lock, read from any thread). */
struct wb_handle {
  char id[64];
  wb_entry* entry; /* NULL once the board went away (then every call fails with KP_ERR_NO_DEVICE) */
  int fd;          /* the evdev node while streaming, else -1 */
  struct libevdev* evdev;
  int streaming;
  kp_samples_fn on_samples;
  kp_stream_end_fn on_end;
  void* user;
  uint32_t next_seq;
  int have_t0;
  uint64_t t0_ns, last_t_ns, last_report_mono_ns;
  int resyncing; /* SYN_DROPPED seen: the kernel's buffer overflowed, reports were lost */
  kp_sample out[WIIBOARD_MAX_BATCH];
  size_t out_count;

  pthread_mutex_t stats_lock;
  kp_link_stats stats;
};

/* api.c: services for the other files. */
void wb_log(int level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
int wb_fail(int code, const char* fmt, ...) __attribute__((format(printf, 2, 3))); /* sets last_error, returns code */
const char* wb_last_error(void);                                                   /* the calling thread's */
uint64_t wb_now_ns(void);
void wb_device_changed(const char* id, int added);

/* registry.c [I/O thread] */
int wb_registry_start(void);              /* the udev monitor (or the fallback poll); KP_OK or KP_ERR_* */
int wb_registry_monitor_fd(void);         /* to poll, or -1 with the fallback */
void wb_registry_pump(int monitor_ready); /* after each poll: monitor events, or the periodic re-scan */
int wb_registry_sync(void);               /* re-reads udev; returns boards usable or KP_ERR_* (last_error set) */
int wb_registry_list(kp_device_info* infos, uint32_t max);
wb_entry* wb_registry_find(const char* id); /* seen since init, present or away */
wb_handle* wb_registry_streaming(int slot); /* the handle streaming on entry `slot`, or NULL */
void wb_registry_refresh_battery(wb_entry* e, int force);
void wb_registry_stop(void);

/* board.c [I/O thread] */
int wb_board_probe(wb_entry* e); /* opens the node, checks name and axes; KP_OK or KP_ERR_* (e->problem) */
int wb_handle_open(wb_entry* e, wb_handle** out);
int wb_stream_start(wb_handle* h, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user);
int wb_stream_stop(wb_handle* h);
int wb_stream_fd(const wb_handle* h); /* the node to poll while streaming, else -1 */
void wb_stream_readable(wb_handle* h, short revents);
void wb_handle_gone(wb_handle* h); /* the board's node went away */
void wb_handle_close(wb_handle* h);
void wb_handle_stats(wb_handle* h, kp_link_stats* out); /* [any] */

#endif /* WIIBOARD_WIIBOARD_H */
