/* A deliberately hostile plate plugin, as a vendor's first buggy driver
 * might behave. Built once per misdeed (tests/plates/hostile/CMakeLists.txt):
 *   HOSTILE_POINT where it misbehaves: entry, init, enumerate, open, start,
 *                 the stream thread, stop, deinit (HP_*);
 *   HOSTILE_ACT   what it does there: crash (SIGSEGV), abort, exit(3),
 *                 hang, leak (memory and descriptors), spam the log (HA_*);
 * or HOSTILE_LIE, a plugin that lies about its ABI version or struct sizes,
 * or about its plate (count, cells, rates, unterminated strings) (HL_*);
 * or HOSTILE_ESCAPE, a plugin that tries, in init() and on its stream
 * thread, to open network sockets and to write a file outside its runtime
 * dir ($HOSTILE_ESCAPE_FILE) and one inside it ($KIOSK_PLATE_HOST_RUNTIME_DIR),
 * and logs each outcome ("escape at init: ... refused|DONE").
 * Apart from its misdeed it is a working plugin with one 4-cell plate,
 * "<id>:H1", streaming a ramp at 100 or 1000 Hz in batches of 10.
 * HOSTILE_ID is its plugin id (each build has its own).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kiosk_plate.h"

#define HP_ENTRY 1
#define HP_INIT 2
#define HP_ENUMERATE 3
#define HP_OPEN 4
#define HP_START 5
#define HP_STREAM 6
#define HP_STOP 7
#define HP_DEINIT 8
#define HA_CRASH 1
#define HA_ABORT 2
#define HA_EXIT 3
#define HA_HANG 4
#define HA_LEAK 5
#define HA_SPAM 6
#define HL_ABI_VERSION 1     /* says ABI 1000 */
#define HL_DESCRIPTOR_SIZE 2 /* kp_plugin.struct_size too small */
#define HL_DEVICES_SIZE 3    /* kp_devices_v1.struct_size too small */
#define HL_DEVICE_INFO 4     /* a million plates; 200 cells; 1000 rates; strings without an end */
#define HL_GROWN 5           /* claims bigger structs than this kiosk knows: allowed, must load */

#ifndef HOSTILE_POINT
#define HOSTILE_POINT 0
#endif
#ifndef HOSTILE_ACT
#define HOSTILE_ACT 0
#endif
#ifndef HOSTILE_LIE
#define HOSTILE_LIE 0
#endif
#ifndef HOSTILE_ESCAPE
#define HOSTILE_ESCAPE 0
#endif

static const kp_host* host;
static _Thread_local char last_error_text[128] = "";
static int leaked_rounds;

static void leak(void) { /* 32 MiB touched and 16 descriptors, never given back */
  for (int i = 0; i < 4; ++i) {
    char* p = malloc(8u << 20);
    if (p) memset(p, 0x5a, 8u << 20);
  }
  for (int i = 0; i < 16; ++i) (void)open("/dev/null", O_RDONLY);
}

static void spam(void) {
  for (int i = 0; i < 20000; ++i) {
    if (host && host->log)
      host->log(host->ctx, KP_LOG_ERROR, "hostile plugin: spam spam spam spam");
    else
      fprintf(stderr, "hostile plugin: spam on stderr %d\n", i);
  }
}

static void say(const char* where, const char* what, int ok, int err) {
  char line[300];
  snprintf(line, sizeof line, "escape at %s: %s %s%s%s", where, what, ok ? "DONE" : "refused", ok ? "" : ": ",
           ok ? "" : strerror(err));
  if (host && host->log) host->log(host->ctx, KP_LOG_WARN, line);
}

static void try_socket(const char* where, int family, const char* what) {
  const int fd = socket(family, SOCK_STREAM, 0);
  say(where, what, fd >= 0, errno);
  if (fd < 0) return;
  if (family == AF_INET) { /* if it was allowed, show it is really usable */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    (void)connect(fd, (struct sockaddr*)&a, sizeof a);
  }
  close(fd);
}

static void try_write(const char* where, const char* path, const char* what) {
  if (!path || !*path) return;
  const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  say(where, what, fd >= 0, errno);
  if (fd >= 0) close(fd);
}

/* The escapes of HOSTILE_ESCAPE, at `where`: each one's outcome goes to the log. */
static void try_escape(const char* where) {
  if (!HOSTILE_ESCAPE) return;
  try_socket(where, AF_INET, "network socket (IPv4)");
  try_socket(where, AF_INET6, "network socket (IPv6)");
  try_write(where, getenv("HOSTILE_ESCAPE_FILE"), "write outside the runtime dir");
  const char* runtime = getenv("KIOSK_PLATE_HOST_RUNTIME_DIR");
  if (runtime && *runtime) {
    char inside[512];
    snprintf(inside, sizeof inside, "%s/hostile-%s.txt", runtime, where);
    try_write(where, inside, "write inside the runtime dir");
  }
}

/* Misbehaves if this build's point is `point`. Returns only for leak and spam. */
static void misbehave(int point) {
  if (point != HOSTILE_POINT) return;
  switch (HOSTILE_ACT) {
    case HA_CRASH: {
      volatile int* volatile nowhere = NULL;
      *nowhere = 42;
      break;
    }
    case HA_ABORT:
      abort();
    case HA_EXIT:
      exit(3);
    case HA_HANG:
      for (;;) sleep(1);
    case HA_LEAK:
      if (leaked_rounds++ < 8) leak();
      break;
    case HA_SPAM:
      spam();
      break;
    default:
      break;
  }
}

typedef struct device {
  pthread_t thread;
  pthread_mutex_t lock;
  int running;
  uint32_t rate_hz;
  kp_samples_fn on_samples;
  kp_stream_end_fn on_end;
  void* user;
} device;
static device the_device = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int fail(int code, const char* text) {
  snprintf(last_error_text, sizeof last_error_text, "%s", text);
  return code;
}

static int is_running(device* d) {
  pthread_mutex_lock(&d->lock);
  int r = d->running;
  pthread_mutex_unlock(&d->lock);
  return r;
}

static void* stream_thread(void* arg) {
  device* d = (device*)arg;
  const long period_ns = 10 * (1000000000L / (long)d->rate_hz);
  uint32_t seq = 0;
  for (int batch_no = 0; is_running(d); ++batch_no) {
    kp_sample batch[10];
    memset(batch, 0, sizeof batch);
    for (int i = 0; i < 10; ++i, ++seq) {
      batch[i].seq = seq;
      batch[i].t_ns = (uint64_t)seq * (uint64_t)(period_ns / 10);
      for (int c = 0; c < 4; ++c) batch[i].raw[c] = (int32_t)(1000 * c + (int32_t)(seq % 1000));
    }
    d->on_samples(d->user, batch, 10);
    if (batch_no == 5) misbehave(HP_STREAM);
    if (batch_no == 5) try_escape("stream");
    struct timespec t = {0, period_ns};
    nanosleep(&t, NULL);
  }
  return NULL;
}

static int h_enumerate(kp_device_info* infos, uint32_t max) {
  misbehave(HP_ENUMERATE);
  if (max < 1) return 1;
  kp_device_info* info = &infos[0];
  const uint32_t size = info->struct_size;
  memset(info, 0, size < sizeof *info ? size : sizeof *info);
  info->struct_size = size;
  snprintf(info->id, sizeof info->id, "%s:H1", HOSTILE_ID);
  snprintf(info->vendor, sizeof info->vendor, "Hostile");
  snprintf(info->model, sizeof info->model, "Test plate");
  snprintf(info->serial, sizeof info->serial, "H1");
  snprintf(info->firmware, sizeof info->firmware, "6.6.6");
  info->cell_count = 4;
  const float x[4] = {-200, 200, -200, 200}, y[4] = {150, 150, -150, -150};
  for (int c = 0; c < 4; ++c) {
    info->cell_x_mm[c] = x[c];
    info->cell_y_mm[c] = y[c];
  }
  info->rate_count = 2;
  info->rates_hz[0] = 100;
  info->rates_hz[1] = 1000;
  info->newtons_per_count = 0.01;
  if (HOSTILE_LIE == HL_DEVICE_INFO) {
    memset(info->vendor, 'V', sizeof info->vendor);
    memset(info->firmware, 'F', sizeof info->firmware);
    info->cell_count = 200;
    info->rate_count = 1000;
    return 1000000;
  }
  return 1;
}

static int h_open(const char* id, void** handle) {
  misbehave(HP_OPEN);
  char mine[64];
  snprintf(mine, sizeof mine, "%s:H1", HOSTILE_ID);
  if (strcmp(id, mine) != 0) return fail(KP_ERR_NO_DEVICE, "no such hostile plate");
  *handle = &the_device;
  return KP_OK;
}

static int h_start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  misbehave(HP_START);
  device* d = (device*)handle;
  if (rate_hz != 100 && rate_hz != 1000) return fail(KP_ERR_ARG, "rate must be 100 or 1000 Hz");
  if (d->running) return fail(KP_ERR_STATE, "already streaming");
  d->rate_hz = rate_hz;
  d->on_samples = on_samples;
  d->on_end = on_end;
  d->user = user;
  d->running = 1;
  if (pthread_create(&d->thread, NULL, stream_thread, d) != 0) {
    d->running = 0;
    return fail(KP_ERR_NO_MEMORY, "cannot start the stream thread");
  }
  return KP_OK;
}

static int h_stop(void* handle) {
  misbehave(HP_STOP);
  device* d = (device*)handle;
  if (!d->running) return fail(KP_ERR_STATE, "not streaming");
  pthread_mutex_lock(&d->lock);
  d->running = 0;
  pthread_mutex_unlock(&d->lock);
  pthread_join(d->thread, NULL);
  return KP_OK;
}

static void h_close(void* handle) {
  device* d = (device*)handle;
  if (d->running) h_stop(handle);
}

static const char* h_last_error(void) { return last_error_text; }

static const kp_devices_v1 devices_ext = {HOSTILE_LIE == HL_DEVICES_SIZE ? 8
                                          : HOSTILE_LIE == HL_GROWN      ? 4096
                                                                         : sizeof(kp_devices_v1),
                                          h_enumerate,
                                          h_open,
                                          h_start,
                                          h_stop,
                                          h_close,
                                          h_last_error};

static int h_init(const kp_host* h) {
  host = h;
  misbehave(HP_INIT);
  try_escape("init");
  if (host && host->log) host->log(host->ctx, KP_LOG_INFO, "hostile plugin " HOSTILE_ID " ready to misbehave");
  return KP_OK;
}

static void h_deinit(void) {
  misbehave(HP_DEINIT);
  host = NULL;
}

static const void* h_get_extension(const char* id) { return strcmp(id, KP_EXT_DEVICES_V1) == 0 ? &devices_ext : NULL; }

static const kp_plugin descriptor = {HOSTILE_LIE == HL_ABI_VERSION ? 1000 : KIOSK_PLATE_ABI_VERSION,
                                     HOSTILE_LIE == HL_DESCRIPTOR_SIZE ? 12
                                     : HOSTILE_LIE == HL_GROWN         ? 1u << 20
                                                                       : sizeof(kp_plugin),
                                     HOSTILE_ID,
                                     "Hostile test plate",
                                     "6.6.6",
                                     h_init,
                                     h_deinit,
                                     h_get_extension};

KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry(void) {
  misbehave(HP_ENTRY);
  return &descriptor;
}
