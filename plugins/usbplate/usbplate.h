/* usbplate.h — the USB plate plugin's parts, shared by its files (not ABI).
 *
 * Threads: every libusb call and every callback to the host happens on the
 * plugin's one I/O thread ("usbplate-io"), which runs libusb's event loop.
 * The host's [main] calls are handed to it as jobs (api.c) and waited for,
 * so transfer callbacks never run on the host's thread.
 *
 *   api.c      ABI glue: init/deinit, the I/O thread and its jobs, kp_* calls
 *   registry.c which plates are on the bus: hotplug (or a fallback poll), probing
 *   stream.c   control requests and the bulk stream: transfers, stalls, timeouts, unplug
 *   protocol.c the wire format (no libusb)
 */
#ifndef USBPLATE_USBPLATE_H
#define USBPLATE_USBPLATE_H

#include <libusb.h>
#include <pthread.h>

#include "kiosk_plate.h"
#include "kiosk_plate_link.h"
#include "protocol.h"

#define USBPLATE_TRANSFERS 4             /* bulk IN transfers kept in flight */
#define USBPLATE_TRANSFER_TIMEOUT_MS 500 /* a transfer with no data by then is resubmitted */
#define USBPLATE_NO_DATA_LIMIT_MS 1500   /* no bytes at all for this long ends the stream */
#define USBPLATE_CONTROL_TIMEOUT_MS 1000
#define USBPLATE_UDEV_RULE "deploy/udev/70-kiosk-usbplate.rules"

typedef struct usbplate_entry usbplate_entry;

/* An open plate: the handle kp_devices_v1.open returns. Fields are the I/O
 * thread's, except `stats` (under stats_lock, read from any thread). */
typedef struct usbplate_handle {
  char id[64];
  kp_device_info info;
  usbplate_info wire;
  libusb_device_handle* usb;
  usbplate_entry* entry; /* the registry's record while the plate is on the bus, else NULL */
  int gone;              /* unplugged: every call fails with KP_ERR_NO_DEVICE */

  int streaming; /* from a successful start() to the end of the stream */
  int ending;    /* transfers are being cancelled */
  int end_reason;
  int halted; /* the endpoint stalled: clear it once every transfer is back */
  int in_flight;
  int consecutive_errors;
  uint64_t last_data_ns;
  struct libusb_transfer* xfer[USBPLATE_TRANSFERS];
  int busy[USBPLATE_TRANSFERS];
  kp_samples_fn on_samples;
  kp_stream_end_fn on_end;
  void* user;
  usbplate_rx rx;
  kp_sample out[USBPLATE_MAX_FRAMES_PER_TRANSFER];

  pthread_mutex_t stats_lock;
  kp_link_stats stats;
} usbplate_handle;

/* api.c: services for the other files. */
void usbplate_log(int level, const char* fmt, ...);
int usbplate_fail(int code, const char* fmt, ...); /* sets last_error, returns code */
const char* usbplate_last_error(void);             /* the calling thread's */
int usbplate_from_libusb(int libusb_error);        /* LIBUSB_ERROR_* -> KP_ERR_* */
uint64_t usbplate_now_ns(void);
void usbplate_device_changed(const char* id, int added);
libusb_context* usbplate_usb(void);

/* registry.c [I/O thread] */
int usbplate_registry_start(void);             /* hotplug callback, or the fallback poll */
void usbplate_registry_pump(void);             /* after each event-loop turn: hotplug queue, poll */
int usbplate_registry_sync(int* inaccessible); /* re-reads the bus; returns plates usable or KP_ERR_* */
int usbplate_registry_list(kp_device_info* infos, uint32_t max);
usbplate_entry* usbplate_registry_find(const char* id);
libusb_device* usbplate_entry_device(usbplate_entry* e);
const kp_device_info* usbplate_entry_info(const usbplate_entry* e);
const usbplate_info* usbplate_entry_wire(const usbplate_entry* e);
usbplate_handle* usbplate_entry_open_handle(const usbplate_entry* e);
void usbplate_entry_set_open_handle(usbplate_entry* e, usbplate_handle* h);
void usbplate_registry_stop(void); /* frees everything; handles still open are closed */

/* stream.c [I/O thread] */
int usbplate_control(libusb_device_handle* usb, uint8_t request_type, uint8_t request, uint16_t value, uint8_t* data,
                     uint16_t length); /* bytes, or LIBUSB_ERROR_* */
int usbplate_probe(libusb_device* dev, kp_device_info* info, usbplate_info* wire);
int usbplate_handle_open(usbplate_entry* e, usbplate_handle** out);
int usbplate_stream_start(usbplate_handle* h, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end,
                          void* user);
int usbplate_stream_stop(usbplate_handle* h);
void usbplate_stream_unplugged(usbplate_handle* h); /* the plate left the bus */
void usbplate_handle_close(usbplate_handle* h);
void usbplate_handle_stats(usbplate_handle* h, kp_link_stats* out); /* [any] */

#endif /* USBPLATE_USBPLATE_H */
