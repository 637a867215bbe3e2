/* api.c — the reference USB plate as a kiosk plate plugin (ABI v1): the glue
 * between kp_devices_v1 and the plugin's I/O thread.
 *
 * The host calls enumerate/open/start/stop/close on its main thread; each
 * becomes a job that the I/O thread runs between turns of libusb's event
 * loop (libusb_interrupt_event_handler wakes it), and the caller waits for
 * the result. So libusb is only ever driven from one thread, and sample,
 * stream-end and hotplug callbacks reach the host from that thread. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "usbplate.h"

static _Thread_local char t_error[256];
static const kp_host* g_host;
static libusb_context* g_usb;
static pthread_t g_thread;
static int g_running; /* [main] the I/O thread exists */
static atomic_int g_quit;

typedef struct job {
  int (*fn)(void* arg);
  void* arg;
  int result;
  int picked; /* the I/O thread has it */
  int done;
  char error[256];
} job;
static pthread_mutex_t g_call_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t g_job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_job_done = PTHREAD_COND_INITIALIZER;
static job* g_job;   /* under g_job_lock */
static int g_exited; /* under g_job_lock: the I/O thread is done */

/* ---- services for the other files ---------------------------------------- */

void usbplate_log(int level, const char* fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (g_host && g_host->log) g_host->log(g_host->ctx, level, line);
}

int usbplate_fail(int code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t_error, sizeof t_error, fmt, ap);
  va_end(ap);
  return code;
}

const char* usbplate_last_error(void) { return t_error; }

int usbplate_from_libusb(int e) {
  switch (e) {
    case LIBUSB_SUCCESS:
      return KP_OK;
    case LIBUSB_ERROR_INVALID_PARAM:
      return KP_ERR_ARG;
    case LIBUSB_ERROR_ACCESS:
      return KP_ERR_ACCESS;
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
      return KP_ERR_NO_DEVICE;
    case LIBUSB_ERROR_BUSY:
      return KP_ERR_BUSY;
    case LIBUSB_ERROR_TIMEOUT:
      return KP_ERR_TIMEOUT;
    case LIBUSB_ERROR_PIPE:
      return KP_ERR_PROTOCOL;
    case LIBUSB_ERROR_NO_MEM:
      return KP_ERR_NO_MEMORY;
    case LIBUSB_ERROR_NOT_SUPPORTED:
      return KP_ERR_NA;
    default:
      return KP_ERR_IO;
  }
}

uint64_t usbplate_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void usbplate_device_changed(const char* id, int added) {
  if (g_host && g_host->device_changed) g_host->device_changed(g_host->ctx, id, added);
}

libusb_context* usbplate_usb(void) { return g_usb; }

/* ---- the I/O thread -------------------------------------------------------- */

static void run_job(void) {
  pthread_mutex_lock(&g_job_lock);
  job* j = g_job;
  if (j) j->picked = 1;
  pthread_mutex_unlock(&g_job_lock);
  if (!j) return;
  t_error[0] = '\0';
  j->result = j->fn(j->arg);
  snprintf(j->error, sizeof j->error, "%s", t_error);
  pthread_mutex_lock(&g_job_lock);
  j->done = 1;
  g_job = NULL;
  pthread_cond_broadcast(&g_job_done);
  pthread_mutex_unlock(&g_job_lock);
}

static void* io_main(void* unused) {
  (void)unused;
  pthread_setname_np(pthread_self(), "usbplate-io");
  usbplate_registry_start();
  while (!atomic_load(&g_quit)) {
    struct timeval tv = {1, 0}; /* hotplug, transfers and jobs wake it sooner */
    libusb_handle_events_timeout_completed(g_usb, &tv, NULL);
    run_job();
    usbplate_registry_pump();
  }
  usbplate_registry_stop();
  pthread_mutex_lock(&g_job_lock);
  g_exited = 1;
  pthread_cond_broadcast(&g_job_done);
  pthread_mutex_unlock(&g_job_lock);
  return NULL;
}

/* Interrupts libusb's event loop until *flag is set (under g_job_lock).
 * libusb does not signal an interrupt while another internal event is
 * pending, and the loop may then sleep through it: so ask again every 2 ms. */
static void wake_until(const int* flag) {
  pthread_mutex_lock(&g_job_lock);
  while (!*flag) {
    pthread_mutex_unlock(&g_job_lock);
    libusb_interrupt_event_handler(g_usb);
    pthread_mutex_lock(&g_job_lock);
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += 2000000;
    if (at.tv_nsec >= 1000000000) at.tv_sec += 1, at.tv_nsec -= 1000000000;
    if (!*flag) pthread_cond_timedwait(&g_job_done, &g_job_lock, &at);
  }
  pthread_mutex_unlock(&g_job_lock);
}

/* [main] Runs fn on the I/O thread and returns its result (and its last_error). */
static int call(int (*fn)(void*), void* arg) {
  if (!g_running) return usbplate_fail(KP_ERR_NO_DEVICE, "USB is not available to the plate plugin");
  if (pthread_equal(pthread_self(), g_thread))
    return usbplate_fail(KP_ERR_STATE, "called from a plugin callback; call from the host's main thread");
  pthread_mutex_lock(&g_call_lock);
  job j = {fn, arg, KP_OK, 0, 0, ""};
  pthread_mutex_lock(&g_job_lock);
  g_job = &j;
  pthread_mutex_unlock(&g_job_lock);
  wake_until(&j.picked);
  pthread_mutex_lock(&g_job_lock);
  while (!j.done) pthread_cond_wait(&g_job_done, &g_job_lock);
  pthread_mutex_unlock(&g_job_lock);
  pthread_mutex_unlock(&g_call_lock);
  snprintf(t_error, sizeof t_error, "%s", j.error);
  return j.result;
}

/* ---- kp_devices_v1 ------------------------------------------------------------ */

typedef struct {
  kp_device_info* infos;
  uint32_t max;
} enumerate_args;

static int enumerate_job(void* p) {
  enumerate_args* a = p;
  const int r = usbplate_registry_sync(NULL);
  return r < 0 ? r : usbplate_registry_list(a->infos, a->max);
}

static int usb_enumerate(kp_device_info* infos, uint32_t max) {
  if (!g_running) return 0; /* no USB here: no plates */
  enumerate_args a = {infos, max};
  return call(enumerate_job, &a);
}

typedef struct {
  const char* id;
  void** handle;
} open_args;

static int open_job(void* p) {
  open_args* a = p;
  usbplate_entry* e = usbplate_registry_find(a->id);
  if (!e) {
    usbplate_registry_sync(NULL);
    e = usbplate_registry_find(a->id);
  }
  if (!e) return usbplate_fail(KP_ERR_NO_DEVICE, "no USB plate with id %s", a->id);
  if (usbplate_entry_open_handle(e)) return usbplate_fail(KP_ERR_BUSY, "%s is already open", a->id);
  usbplate_handle* h = NULL;
  const int r = usbplate_handle_open(e, &h);
  if (r == KP_OK) *a->handle = h;
  return r;
}

static int usb_open(const char* device_id, void** handle) {
  if (!device_id || !handle) return usbplate_fail(KP_ERR_ARG, "device id and handle must not be NULL");
  open_args a = {device_id, handle};
  return call(open_job, &a);
}

typedef struct {
  usbplate_handle* h;
  uint32_t rate_hz;
  kp_samples_fn on_samples;
  kp_stream_end_fn on_end;
  void* user;
} start_args;

static int start_job(void* p) {
  start_args* a = p;
  return usbplate_stream_start(a->h, a->rate_hz, a->on_samples, a->on_end, a->user);
}

static int usb_start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  if (!handle) return usbplate_fail(KP_ERR_ARG, "handle must not be NULL");
  start_args a = {handle, rate_hz, on_samples, on_end, user};
  return call(start_job, &a);
}

static int stop_job(void* h) { return usbplate_stream_stop(h); }
static int usb_stop(void* handle) { return handle ? call(stop_job, handle) : usbplate_fail(KP_ERR_ARG, "NULL handle"); }

static int close_job(void* h) {
  usbplate_handle_close(h);
  return KP_OK;
}
static void usb_close(void* handle) {
  if (handle) call(close_job, handle);
}

static const char* usb_last_error(void) { return t_error; }

static int usb_link_stats(void* handle, kp_link_stats* out) {
  if (!handle || !out || out->struct_size < sizeof(uint32_t)) return usbplate_fail(KP_ERR_ARG, "bad arguments");
  usbplate_handle_stats(handle, out);
  return KP_OK;
}

static const kp_devices_v1 kDevices = {sizeof(kp_devices_v1), usb_enumerate, usb_open, usb_start, usb_stop, usb_close,
                                       usb_last_error};
static const kp_link_v1 kLink = {sizeof(kp_link_v1), usb_link_stats};

/* ---- kp_plugin ----------------------------------------------------------------- */

static int usb_init(const kp_host* host) {
  if (g_running) return KP_OK;
  g_host = host;
  const int r = libusb_init(&g_usb);
  if (r != 0) { /* e.g. no usbfs in a container: run with no plates rather than refuse */
    usbplate_log(KP_LOG_WARN, "USB unavailable (%s): no USB plates will be found", libusb_strerror(r));
    g_usb = NULL;
    return KP_OK;
  }
  atomic_store(&g_quit, 0);
  g_exited = 0;
  if (pthread_create(&g_thread, NULL, io_main, NULL) != 0) {
    libusb_exit(g_usb);
    g_usb = NULL;
    return usbplate_fail(KP_ERR, "cannot start the USB thread");
  }
  g_running = 1;
  return KP_OK;
}

static void usb_deinit(void) {
  if (g_running) {
    atomic_store(&g_quit, 1);
    wake_until(&g_exited);
    pthread_join(g_thread, NULL);
    g_running = 0;
  }
  if (g_usb) libusb_exit(g_usb);
  g_usb = NULL;
  g_host = NULL;
}

static const void* usb_get_extension(const char* id) {
  if (!id) return NULL;
  if (strcmp(id, KP_EXT_DEVICES_V1) == 0) return &kDevices;
  if (strcmp(id, KP_EXT_LINK_V1) == 0) return &kLink;
  return NULL;
}

static const kp_plugin kDescriptor = {
    KIOSK_PLATE_ABI_VERSION, sizeof(kp_plugin), "usbplate", "Reference USB plate", "1.0", usb_init, usb_deinit,
    usb_get_extension};

KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry(void) { return &kDescriptor; }
