/* api.c — the Wii Balance Board as a kiosk plate plugin (ABI v1): the glue
 * between kp_devices_v1 (plus the optional link and battery extensions) and
 * the plugin's I/O thread.
 *
 * The host calls enumerate/open/start/stop/close on its main thread; each
 * becomes a job that the I/O thread runs between poll() turns (an eventfd
 * wakes it), and the caller waits for the result. So libudev and libevdev are
 * only ever used from one thread, and sample, stream-end and hotplug
 * callbacks reach the host from that thread. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "wiiboard.h"

static _Thread_local char t_error[256];
static const kp_host* g_host;
static pthread_t g_thread;
static int g_running; /* [main] the I/O thread exists */
static atomic_int g_quit;
static int g_wake = -1; /* eventfd: a job or quit is waiting */

typedef struct job {
  int (*fn)(void* arg);
  void* arg;
  int result;
  int done;
  char error[256];
} job;
static pthread_mutex_t g_call_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t g_job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_job_done = PTHREAD_COND_INITIALIZER;
static job* g_job;   /* under g_job_lock */
static int g_exited; /* under g_job_lock */

/* ---- services for the other files ---------------------------------------- */

void wb_log(int level, const char* fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (g_host && g_host->log) g_host->log(g_host->ctx, level, line);
}

int wb_fail(int code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t_error, sizeof t_error, fmt, ap);
  va_end(ap);
  return code;
}

const char* wb_last_error(void) { return t_error; }

uint64_t wb_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void wb_device_changed(const char* id, int added) {
  if (g_host && g_host->device_changed) g_host->device_changed(g_host->ctx, id, added);
}

/* ---- the I/O thread -------------------------------------------------------- */

static void run_job(void) {
  pthread_mutex_lock(&g_job_lock);
  job* j = g_job;
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

/* The fds to wait on: [0] wake-up, [1] udev monitor (or -1), then streaming
 * boards, unless they were read less than WIIBOARD_BATCH_MS ago. */
static nfds_t gather(struct pollfd* fds, wb_handle** owners, int with_boards) {
  nfds_t n = 0;
  fds[n++] = (struct pollfd){g_wake, POLLIN, 0};
  fds[n++] = (struct pollfd){wb_registry_monitor_fd(), POLLIN, 0};
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i) owners[i] = NULL;
  for (int i = 0; with_boards && i < WIIBOARD_MAX_BOARDS; ++i) {
    wb_handle* h = wb_registry_streaming(i);
    if (!h) continue;
    owners[n - 2] = h;
    fds[n++] = (struct pollfd){wb_stream_fd(h), POLLIN, 0};
  }
  return n;
}

static void* io_main(void* unused) {
  (void)unused;
  pthread_setname_np(pthread_self(), "wiiboard-io");
  if (wb_registry_start() != KP_OK) wb_log(KP_LOG_WARN, "Wii boards unavailable: %s", t_error);
  uint64_t boards_due_ns = 0; /* read the boards again from then: a few reports per wake-up */
  while (!atomic_load(&g_quit)) {
    struct pollfd fds[2 + WIIBOARD_MAX_BOARDS];
    wb_handle* owners[WIIBOARD_MAX_BOARDS];
    const uint64_t now = wb_now_ns();
    const int with_boards = now >= boards_due_ns;
    const nfds_t n = gather(fds, owners, with_boards);
    int timeout_ms = WIIBOARD_POLL_MS;
    if (!with_boards) timeout_ms = (int)((boards_due_ns - now) / 1000000u) + 1;
    const int r = poll(fds, n, timeout_ms);
    if (r < 0 && errno != EINTR) break;
    if (r > 0 && (fds[0].revents & POLLIN)) {
      uint64_t count;
      if (read(g_wake, &count, sizeof count) < 0) { /* EAGAIN: another turn already took it */
      }
    }
    int read_any = 0;
    for (nfds_t i = 2; r > 0 && i < n; ++i)
      if (fds[i].revents && wb_stream_fd(owners[i - 2]) == fds[i].fd) {
        wb_stream_readable(owners[i - 2], fds[i].revents);
        read_any = 1;
      }
    if (read_any) boards_due_ns = wb_now_ns() + WIIBOARD_BATCH_MS * 1000000ull;
    wb_registry_pump(r > 0 && (fds[1].revents & POLLIN));
    run_job();
  }
  wb_registry_stop();
  pthread_mutex_lock(&g_job_lock);
  g_exited = 1;
  pthread_cond_broadcast(&g_job_done);
  pthread_mutex_unlock(&g_job_lock);
  return NULL;
}

static void wake(void) {
  const uint64_t one = 1;
  if (write(g_wake, &one, sizeof one) < 0) { /* the counter is full: it is awake anyway */
  }
}

/* [main] Runs fn on the I/O thread and returns its result (and its last_error). */
static int call(int (*fn)(void*), void* arg) {
  if (!g_running) return wb_fail(KP_ERR_NO_DEVICE, "the Wii board plugin is not initialised");
  if (pthread_equal(pthread_self(), g_thread))
    return wb_fail(KP_ERR_STATE, "called from a plugin callback; call from the host's main thread");
  pthread_mutex_lock(&g_call_lock);
  job j = {fn, arg, KP_OK, 0, ""};
  pthread_mutex_lock(&g_job_lock);
  g_job = &j;
  pthread_mutex_unlock(&g_job_lock);
  wake();
  pthread_mutex_lock(&g_job_lock);
  while (!j.done && !g_exited) pthread_cond_wait(&g_job_done, &g_job_lock);
  pthread_mutex_unlock(&g_job_lock);
  pthread_mutex_unlock(&g_call_lock);
  snprintf(t_error, sizeof t_error, "%s", j.error);
  return j.done ? j.result : wb_fail(KP_ERR_STATE, "the Wii board plugin stopped");
}

/* ---- kp_devices_v1 ------------------------------------------------------------ */

typedef struct {
  kp_device_info* infos;
  uint32_t max;
} enumerate_args;

static int enumerate_job(void* p) {
  enumerate_args* a = p;
  const int r = wb_registry_sync();
  return r < 0 ? r : wb_registry_list(a->infos, a->max);
}

static int wb_enumerate(kp_device_info* infos, uint32_t max) {
  enumerate_args a = {infos, max};
  return call(enumerate_job, &a);
}

typedef struct {
  const char* id;
  void** handle;
} open_args;

static int open_job(void* p) {
  open_args* a = p;
  wb_entry* e = wb_registry_find(a->id);
  if (!e || !e->usable) {
    wb_registry_sync();
    e = wb_registry_find(a->id);
  }
  if (!e) return wb_fail(KP_ERR_NO_DEVICE, "no Wii board with id %s", a->id);
  if (!e->usable && e->problem[0]) return wb_fail(e->denied ? KP_ERR_ACCESS : KP_ERR_PROTOCOL, "%s", e->problem);
  if (e->open) return wb_fail(KP_ERR_BUSY, "%s is already open", a->id);
  wb_handle* h = NULL;
  const int r = wb_handle_open(e, &h);
  if (r == KP_OK) *a->handle = h;
  return r;
}

static int wb_open(const char* device_id, void** handle) {
  if (!device_id || !handle) return wb_fail(KP_ERR_ARG, "device id and handle must not be NULL");
  open_args a = {device_id, handle};
  return call(open_job, &a);
}

typedef struct {
  wb_handle* h;
  uint32_t rate_hz;
  kp_samples_fn on_samples;
  kp_stream_end_fn on_end;
  void* user;
} start_args;

static int start_job(void* p) {
  start_args* a = p;
  return wb_stream_start(a->h, a->rate_hz, a->on_samples, a->on_end, a->user);
}

static int wb_start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  if (!handle) return wb_fail(KP_ERR_ARG, "handle must not be NULL");
  start_args a = {handle, rate_hz, on_samples, on_end, user};
  return call(start_job, &a);
}

static int stop_job(void* h) { return wb_stream_stop(h); }
static int wb_stop(void* handle) { return handle ? call(stop_job, handle) : wb_fail(KP_ERR_ARG, "NULL handle"); }

static int close_job(void* h) {
  wb_handle_close(h);
  return KP_OK;
}
static void wb_close(void* handle) {
  if (handle) call(close_job, handle);
}

static const char* wb_last_error_api(void) { return t_error; }

static int wb_link_stats(void* handle, kp_link_stats* out) {
  if (!handle || !out || out->struct_size < sizeof(uint32_t)) return wb_fail(KP_ERR_ARG, "bad arguments");
  wb_handle_stats(handle, out);
  return KP_OK;
}

typedef struct {
  const char* id;
  kp_battery_status* out;
} battery_args;

static uint64_t age_ms(uint64_t then_ns) { return then_ns ? (wb_now_ns() - then_ns) / 1000000ull : UINT64_MAX; }

static int battery_job(void* p) {
  battery_args* a = p;
  wb_entry* e = wb_registry_find(a->id);
  if (!e) return wb_fail(KP_ERR_NO_DEVICE, "no Wii board with id %s has been seen", a->id);
  wb_registry_refresh_battery(e, 0);
  kp_battery_status s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.percent = e->battery_percent;
  const int streaming = e->open && e->open->streaming;
  s.link = !e->present ? KP_LINK_AWAY : streaming ? KP_LINK_STREAMING : KP_LINK_CONNECTED;
  s.button_down = (uint32_t)e->button_down;
  s.button_presses = e->button_presses;
  s.battery_age_ms = age_ms(e->battery_read_ns);
  s.last_report_age_ms = streaming ? age_ms(e->open->last_report_mono_ns) : UINT64_MAX;
  const uint32_t size = a->out->struct_size < sizeof s ? a->out->struct_size : (uint32_t)sizeof s;
  s.struct_size = size;
  memcpy(a->out, &s, size);
  return KP_OK;
}

static int wb_battery_status(const char* device_id, kp_battery_status* out) {
  if (!device_id || !out || out->struct_size < sizeof(uint32_t)) return wb_fail(KP_ERR_ARG, "bad arguments");
  battery_args a = {device_id, out};
  return call(battery_job, &a);
}

static const kp_devices_v1 kDevices = {sizeof(kp_devices_v1), wb_enumerate, wb_open, wb_start, wb_stop, wb_close,
                                       wb_last_error_api};
static const kp_link_v1 kLink = {sizeof(kp_link_v1), wb_link_stats};
static const kp_battery_v1 kBattery = {sizeof(kp_battery_v1), wb_battery_status};

/* ---- kp_plugin ----------------------------------------------------------------- */

static int wb_init(const kp_host* host) {
  if (g_running) return KP_OK;
  g_host = host;
  g_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (g_wake < 0) return wb_fail(KP_ERR, "eventfd: %s", strerror(errno));
  atomic_store(&g_quit, 0);
  g_exited = 0;
  if (pthread_create(&g_thread, NULL, io_main, NULL) != 0) {
    close(g_wake);
    g_wake = -1;
    return wb_fail(KP_ERR, "cannot start the Wii board thread");
  }
  g_running = 1;
  return KP_OK;
}

static void wb_deinit(void) {
  if (g_running) {
    atomic_store(&g_quit, 1);
    wake();
    pthread_join(g_thread, NULL);
    g_running = 0;
  }
  if (g_wake >= 0) close(g_wake);
  g_wake = -1;
  g_host = NULL;
}

static const void* wb_get_extension(const char* id) {
  if (!id) return NULL;
  if (strcmp(id, KP_EXT_DEVICES_V1) == 0) return &kDevices;
  if (strcmp(id, KP_EXT_LINK_V1) == 0) return &kLink;
  if (strcmp(id, KP_EXT_BATTERY_V1) == 0) return &kBattery;
  return NULL;
}

static const kp_plugin kDescriptor = {KIOSK_PLATE_ABI_VERSION,
                                      sizeof(kp_plugin),
                                      "wiiboard",
                                      "Wii Balance Board (Bluetooth, hid-wiimote)",
                                      "1.0",
                                      wb_init,
                                      wb_deinit,
                                      wb_get_extension};

KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry(void) { return &kDescriptor; }
