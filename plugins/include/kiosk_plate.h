/* kiosk_plate.h — the force-plate plugin ABI, version 1.
 *
 * The only header a device plugin includes. Plain C11 that also compiles as
 * C++20 (a test builds it both ways).
 *
 * A plugin is a shared library that exports exactly one symbol,
 * `kiosk_plate_entry` (KIOSK_PLATE_ENTRY), returning a pointer to a constant
 * kp_plugin descriptor. Everything else is reached through it:
 *
 *   entry() -> kp_plugin { abi_version, struct_size, id, ..., init, deinit,
 *                          get_extension("kiosk.plate.devices/1") -> kp_devices_v1 }
 *
 * Rules that keep it stable:
 * - The first field of kp_plugin is the ABI version. The host refuses a
 *   plugin whose version differs from KIOSK_PLATE_ABI_VERSION.
 * - Structs carry their size (`struct_size`); fields are only ever appended,
 *   and the host reads no field beyond the size the plugin reported.
 * - New abilities are new extensions, looked up by string id with a revision
 *   ("kiosk.plate.devices/1", later ".../2"); a plugin returns NULL for ids it
 *   does not know. Optional extensions have their own headers:
 *   "kiosk.plate.sim/1" (kiosk_plate_sim.h), "kiosk.plate.link/1" wire
 *   statistics of a wired plate (kiosk_plate_link.h), "kiosk.plate.battery/1"
 *   a wireless plate's battery and link (kiosk_plate_battery.h; the kiosk
 *   asks the host for it at most once a second per plate).
 * - Error codes are negative, unique and append-only (KP_ERR_*).
 * - Every callback names the thread it runs on, in brackets:
 *   [main] the host's main (UI) thread; [device] a thread the plugin owns;
 *   [any] any thread. The plugin does raw counts only: calibration, force
 *   and centre-of-pressure maths are the host's, so every plate gets the same.
 * - Plugins do no I/O before init() and none after deinit(); both are safe
 *   to call twice. The host never unloads a plugin while it runs.
 *
 * Process model. Each plugin runs in its own process, `kiosk-plate-host
 * PLUGIN.so`, started by the kiosk (and by kioskctl); the kiosk itself loads
 * no plugin code. [main] is that host's main thread, which makes the calls
 * the kiosk asks for, one at a time. Samples go from your [device] thread
 * straight into a lock-free ring in memory shared with the kiosk; log lines
 * and device_changed notices travel as messages. So a plugin author:
 * - CAN use threads, block briefly in open/start/stop, use libusb, hidraw or
 *   evdev: the host process is the one that opens devices.
 * - CANNOT take the kiosk down: if the host crashes, aborts, exits or misses
 *   a call's deadline (2 s by default, plates.call_deadline_ms), the kiosk
 *   kills it, logs and audits why, ends a capture in progress as if the
 *   plate were unplugged (the test falls back to its manual version) and
 *   restarts it with backoff; 3 failures in 10 minutes quarantine the plugin
 *   until staff re-enable it on the technician page.
 * - CANNOT gain privileges, dump core or grow without bound: the host has
 *   no new privileges and a memory ceiling (deploy/README.md). Log lines
 *   beyond 200 a second are counted, not kept.
 * - CANNOT use the network: once the host runs plugin code, socket() for
 *   anything but AF_UNIX and AF_NETLINK (udev, libusb hotplug) fails with
 *   EACCES and io_uring with ENOSYS (a seccomp filter).
 * - CANNOT write files except beneath the host's runtime dir ($RUNTIME_DIRECTORY,
 *   /run/kiosk under systemd), /dev (device nodes) and its own /proc/PID:
 *   elsewhere open() for writing, creating, renaming or deleting fails with
 *   EACCES (Landlock; on a kernel without it the host logs that writes are
 *   not confined). Reading is not restricted.
 * - MUST still keep kp_samples_fn fast: a full ring drops samples (the kiosk
 *   sees them as lost) rather than stall your thread.
 *
 * Units: time ns, positions mm, rates Hz. Axes (shared with scripts):
 * x = mediolateral, + to the person's right; y = anteroposterior, + toward
 * the toes; cell positions are measured from the plate centre.
 */
#ifndef KIOSK_PLATE_H
#define KIOSK_PLATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KIOSK_PLATE_ABI_VERSION 1
#define KIOSK_PLATE_ENTRY "kiosk_plate_entry"
#define KIOSK_PLATE_MAX_CELLS 8
#define KIOSK_PLATE_MAX_RATES 8

#if defined(__GNUC__)
#define KIOSK_PLATE_EXPORT __attribute__((visibility("default")))
#else
#define KIOSK_PLATE_EXPORT
#endif

/* Status and error codes: 0 is success, errors negative. Append only. */
enum kp_result {
  KP_OK = 0,
  KP_ERR = -1,           /* unspecified failure; see last_error() */
  KP_ERR_ARG = -2,       /* a bad argument */
  KP_ERR_NA = -3,        /* not applicable / not supported by this device */
  KP_ERR_NO_DEVICE = -4, /* no such device, or it was unplugged */
  KP_ERR_ACCESS = -5,    /* permission denied (e.g. a missing udev rule) */
  KP_ERR_BUSY = -6,      /* already open or streaming elsewhere */
  KP_ERR_IO = -7,        /* transfer failed */
  KP_ERR_TIMEOUT = -8,
  KP_ERR_STATE = -9, /* call not valid in this state (e.g. start twice) */
  KP_ERR_NO_MEMORY = -10,
  KP_ERR_PROTOCOL = -11 /* the device answered something malformed */
};

/* Bits of kp_sample.status. */
#define KP_STATUS_OVERLOAD 0x1u   /* load beyond the plate's rated range */
#define KP_STATUS_SATURATED 0x2u  /* an ADC channel at its limit */
#define KP_STATUS_CELL_FAULT 0x4u /* a cell reads open or shorted */

/* One reading of all cells. */
typedef struct kp_sample {
  uint64_t t_ns;                      /* device time since start(), ns, monotonic */
  uint32_t seq;                       /* 0 at start(), +1 per sample, wraps at 2^32; a jump = lost samples */
  uint32_t status;                    /* KP_STATUS_* bits */
  int32_t raw[KIOSK_PLATE_MAX_CELLS]; /* raw counts per cell; unused cells 0 */
} kp_sample;

/* What a device is. Filled by the plugin; struct_size set by the caller. */
typedef struct kp_device_info {
  uint32_t struct_size; /* in: sizeof(kp_device_info) as the host knows it */
  char id[64];          /* stable for one physical plate: "<plugin>:<serial>" */
  char vendor[64];
  char model[64];
  char serial[64];
  char firmware[32];
  uint32_t cell_count;                    /* 1..KIOSK_PLATE_MAX_CELLS */
  float cell_x_mm[KIOSK_PLATE_MAX_CELLS]; /* cell centres from the plate centre */
  float cell_y_mm[KIOSK_PLATE_MAX_CELLS];
  uint32_t rate_count; /* entries used in rates_hz */
  uint32_t rates_hz[KIOSK_PLATE_MAX_RATES];
  double newtons_per_count; /* nominal gain, before calibration */
} kp_device_info;

/* Log levels for kp_host.log. */
enum kp_log_level { KP_LOG_DEBUG = 0, KP_LOG_INFO = 1, KP_LOG_WARN = 2, KP_LOG_ERROR = 3 };

/* Services the host gives a plugin at init(). Valid until deinit(). */
typedef struct kp_host {
  uint32_t struct_size;
  uint32_t abi_version;
  void* ctx; /* pass back to every host callback */
  /* [any] one log line, without a newline */
  void (*log)(void* ctx, int level, const char* message);
  /* [any] a device appeared (added = 1) or went away (added = 0). Plugins
   * that cannot detect hotplug never call it; the host then polls enumerate. */
  void (*device_changed)(void* ctx, const char* device_id, int added);
} kp_host;

/* [device] Delivers samples in order. Must return quickly: the host copies
 * them into a lock-free ring and returns. */
typedef void (*kp_samples_fn)(void* user, const kp_sample* samples, size_t count);
/* [device] The stream ended without stop(): reason is a KP_ERR_* code
 * (KP_ERR_NO_DEVICE on unplug). No sample callback follows it. */
typedef void (*kp_stream_end_fn)(void* user, int reason);

/* Extension "kiosk.plate.devices/1": finding, opening and streaming plates.
 * Required: every plugin provides it and every pointer is non-NULL. */
#define KP_EXT_DEVICES_V1 "kiosk.plate.devices/1"
typedef struct kp_devices_v1 {
  uint32_t struct_size;
  /* [main] Fills up to `max` infos (each with struct_size set by the host);
   * returns how many devices exist (may exceed max) or a KP_ERR_*. */
  int (*enumerate)(kp_device_info* infos, uint32_t max);
  /* [main] Opens a device by id; *handle is the plugin's. */
  int (*open)(const char* device_id, void** handle);
  /* [main] Starts streaming at one of the device's rates. Callbacks then run
   * on the plugin's own thread until stop() or a stream end. */
  int (*start)(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user);
  /* [main] Stops streaming; when it returns no callback is running or will run. */
  int (*stop)(void* handle);
  /* [main] Closes (stopping first if needed); the handle is invalid after. */
  void (*close)(void* handle);
  /* [any] Text of the last error on the calling thread; never NULL. */
  const char* (*last_error)(void);
} kp_devices_v1;

/* The descriptor `kiosk_plate_entry` returns. Constant, static storage. */
typedef struct kp_plugin {
  uint32_t abi_version; /* KIOSK_PLATE_ABI_VERSION — always the first field */
  uint32_t struct_size; /* sizeof(kp_plugin) */
  const char* id;       /* short, unique: "sim", "usbplate" */
  const char* name;     /* for staff screens */
  const char* version;  /* the plugin's own version */
  /* [main] Before anything else; KP_OK or KP_ERR_*. Safe to call twice. */
  int (*init)(const kp_host* host);
  /* [main] After every device is closed. Safe to call twice. */
  void (*deinit)(void);
  /* [main, after init] An extension by id ("kiosk.plate.devices/1") or NULL. */
  const void* (*get_extension)(const char* id);
} kp_plugin;

/* The one exported symbol. */
typedef const kp_plugin* (*kp_entry_fn)(void);
KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* KIOSK_PLATE_H */
