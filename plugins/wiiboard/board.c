/* board.c — one board's evdev node through libevdev: the "protocol" of the
 * Wii Balance Board as the kernel presents it.
 *
 * A report is everything up to a SYN_REPORT; libevdev keeps each axis's last
 * value, so a report in which the kernel left out an axis that did not move
 * (the input core drops changes within the fuzz) still gives four cells.
 * Time is the events' own (input_event.time, CLOCK_MONOTONIC when the kernel
 * accepts EVIOCSCLOCKID), from the first report after start(). A SYN_DROPPED
 * means the kernel's buffer overflowed: the reports lost are estimated from
 * the gap at the nominal rate and skipped in the sequence numbers, as the
 * ABI counts loss. [I/O thread] throughout, except wb_handle_stats. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiiboard.h"

/* Cell order of kp_sample.raw and kp_device_info, the host's: front-left,
 * front-right, back-left, back-right ("top" is the far side from the person,
 * towards the toes). The kernel's axes in that order. */
static const unsigned kAxes[4] = {ABS_HAT1X, ABS_HAT0X, ABS_HAT1Y, ABS_HAT0Y};
static const char* const kAxisNames[4] = {"ABS_HAT1X (top left)", "ABS_HAT0X (top right)", "ABS_HAT1Y (bottom left)",
                                          "ABS_HAT0Y (bottom right)"};

static int open_node(const wb_entry* e, int* fd_out) {
  const int fd = open(e->devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == EACCES || err == EPERM)
      return wb_fail(KP_ERR_ACCESS,
                     "%s (%s): permission denied; install %s (cp it to /etc/udev/rules.d/, "
                     "udevadm control --reload, then reconnect the board)",
                     e->devnode, e->info.id, WIIBOARD_UDEV_RULE);
    if (err == ENOENT || err == ENODEV || err == ENXIO)
      return wb_fail(KP_ERR_NO_DEVICE, "%s (%s) is gone", e->devnode, e->info.id);
    return wb_fail(KP_ERR_IO, "cannot open %s: %s", e->devnode, strerror(err));
  }
  *fd_out = fd;
  return KP_OK;
}

/* The node is a Balance Board with every axis we need; else why not. */
static int check_board(const wb_entry* e, const struct libevdev* dev) {
  const char* name = libevdev_get_name(dev);
  if (!name || strcmp(name, WIIBOARD_NAME) != 0)
    return wb_fail(KP_ERR_PROTOCOL, "%s is \"%s\", not a %s", e->devnode, name ? name : "", WIIBOARD_NAME);
  for (int i = 0; i < 4; ++i) {
    if (!libevdev_has_event_code(dev, EV_ABS, kAxes[i]))
      return wb_fail(KP_ERR_PROTOCOL, "%s (%s) has no %s axis: not a balance board the kiosk can read", e->devnode,
                     e->info.id, kAxisNames[i]);
    const struct input_absinfo* a = libevdev_get_abs_info(dev, kAxes[i]);
    if (!a || a->maximum <= a->minimum)
      return wb_fail(KP_ERR_PROTOCOL, "%s (%s): %s has an empty range", e->devnode, e->info.id, kAxisNames[i]);
  }
  return KP_OK;
}

static int open_evdev(const wb_entry* e, int* fd_out, struct libevdev** dev_out) {
  int fd = -1;
  int r = open_node(e, &fd);
  if (r != KP_OK) return r;
  struct libevdev* dev = NULL;
  const int rc = libevdev_new_from_fd(fd, &dev);
  if (rc < 0) {
    close(fd);
    return wb_fail(-rc == ENODEV ? KP_ERR_NO_DEVICE : KP_ERR_PROTOCOL, "%s (%s): cannot read its evdev description: %s",
                   e->devnode, e->info.id, strerror(-rc));
  }
  r = check_board(e, dev);
  if (r != KP_OK) {
    libevdev_free(dev);
    close(fd);
    return r;
  }
  *fd_out = fd;
  *dev_out = dev;
  return KP_OK;
}

int wb_board_probe(wb_entry* e) {
  int fd = -1;
  struct libevdev* dev = NULL;
  const int r = open_evdev(e, &fd, &dev);
  if (r != KP_OK) return r;
  libevdev_free(dev); /* closing the node also stops the board's extension reports (hid-wiimote's close) */
  close(fd);
  return KP_OK;
}

int wb_handle_open(wb_entry* e, wb_handle** out) {
  if (!e->present) return wb_fail(KP_ERR_NO_DEVICE, "%s is away (asleep or out of reach)", e->info.id);
  const int r = wb_board_probe(e);
  if (r != KP_OK) return r;
  wb_handle* h = calloc(1, sizeof *h);
  if (!h) return wb_fail(KP_ERR_NO_MEMORY, "out of memory");
  snprintf(h->id, sizeof h->id, "%s", e->info.id);
  h->entry = e;
  h->fd = -1;
  pthread_mutex_init(&h->stats_lock, NULL);
  e->open = h;
  *out = h;
  return KP_OK;
}

static void close_stream(wb_handle* h) {
  if (h->evdev) libevdev_free(h->evdev);
  if (h->fd >= 0) close(h->fd);
  h->evdev = NULL;
  h->fd = -1;
  h->streaming = 0;
}

/* Reports queued since start() was called are not this stream's. */
static void discard_pending(wb_handle* h) {
  struct input_event ev;
  int rc;
  do {
    rc = libevdev_next_event(h->evdev, LIBEVDEV_READ_FLAG_NORMAL, &ev);
    while (rc == LIBEVDEV_READ_STATUS_SYNC) rc = libevdev_next_event(h->evdev, LIBEVDEV_READ_FLAG_SYNC, &ev);
  } while (rc == LIBEVDEV_READ_STATUS_SUCCESS);
}

int wb_stream_start(wb_handle* h, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  if (!h->entry) return wb_fail(KP_ERR_NO_DEVICE, "%s went away; close it and open it again", h->id);
  if (h->streaming) return wb_fail(KP_ERR_STATE, "%s is already streaming", h->id);
  if (!on_samples || !on_end) return wb_fail(KP_ERR_ARG, "the sample and end callbacks must not be NULL");
  if (rate_hz != WIIBOARD_RATE_HZ)
    return wb_fail(KP_ERR_ARG, "%s streams at %u Hz (the board's own rate), not %u Hz", h->id, WIIBOARD_RATE_HZ,
                   rate_hz);
  const int r = open_evdev(h->entry, &h->fd, &h->evdev);
  if (r != KP_OK) return r;
  if (libevdev_set_clock_id(h->evdev, CLOCK_MONOTONIC) != 0) /* else the event times are wall-clock */
    wb_log(KP_LOG_DEBUG, "%s: the kernel kept realtime event stamps", h->id);
  discard_pending(h);
  h->on_samples = on_samples;
  h->on_end = on_end;
  h->user = user;
  h->next_seq = 0;
  h->have_t0 = 0;
  h->resyncing = 0;
  h->out_count = 0;
  h->last_report_mono_ns = 0;
  pthread_mutex_lock(&h->stats_lock);
  memset(&h->stats, 0, sizeof h->stats);
  pthread_mutex_unlock(&h->stats_lock);
  h->streaming = 1;
  return KP_OK;
}

int wb_stream_stop(wb_handle* h) {
  close_stream(h); /* no callback runs after this: they only run on this thread */
  return KP_OK;
}

int wb_stream_fd(const wb_handle* h) { return h->streaming ? h->fd : -1; }

static void flush_samples(wb_handle* h) {
  if (h->out_count && h->streaming) h->on_samples(h->user, h->out, h->out_count);
  h->out_count = 0;
}

static void end_stream(wb_handle* h, int reason) {
  if (!h->streaming) return;
  flush_samples(h);
  close_stream(h);
  h->on_end(h->user, reason);
}

static uint64_t event_ns(const struct input_event* ev) {
  return (uint64_t)ev->input_event_sec * 1000000000ull + (uint64_t)ev->input_event_usec * 1000ull;
}

/* One report is complete: the four cells as libevdev now knows them. */
static void emit_report(wb_handle* h, const struct input_event* syn) {
  const uint64_t t = event_ns(syn);
  if (!h->have_t0) {
    h->have_t0 = 1;
    h->t0_ns = h->last_t_ns = t;
  }
  uint64_t misordered = 0, lost = 0;
  if (t < h->last_t_ns) misordered = 1; /* a clock step back: keep time monotonic */
  const uint64_t at = t < h->last_t_ns ? h->last_t_ns : t;
  if (h->resyncing) { /* the kernel dropped reports: count the gap at the nominal rate */
    const uint64_t period = 1000000000ull / WIIBOARD_RATE_HZ;
    const uint64_t gap = at - h->last_t_ns;
    lost = gap > period ? (gap + period / 2) / period - 1 : 0;
    if (lost == 0) lost = 1; /* at least the report the overflow cut */
    h->resyncing = 0;
  }
  h->next_seq += (uint32_t)lost;
  kp_sample* s = &h->out[h->out_count++];
  memset(s, 0, sizeof *s);
  s->t_ns = at - h->t0_ns;
  s->seq = h->next_seq++;
  for (int i = 0; i < 4; ++i) {
    const int v = libevdev_get_event_value(h->evdev, EV_ABS, kAxes[i]);
    const struct input_absinfo* a = libevdev_get_abs_info(h->evdev, kAxes[i]);
    s->raw[i] = v;
    if (a && v >= a->maximum) s->status |= KP_STATUS_SATURATED;
  }
  h->last_t_ns = at;
  h->last_report_mono_ns = wb_now_ns();
  pthread_mutex_lock(&h->stats_lock);
  h->stats.frames_ok++;
  h->stats.frames_lost += lost;
  h->stats.frames_misordered += misordered;
  pthread_mutex_unlock(&h->stats_lock);
  if (lost)
    wb_log(KP_LOG_WARN, "%s: the kernel's event buffer overflowed; about %llu reports lost", h->id,
           (unsigned long long)lost);
  if (h->out_count == WIIBOARD_MAX_BATCH) flush_samples(h);
}

static void on_button(wb_handle* h, int down) {
  wb_entry* e = h->entry;
  if (!e) return;
  if (down && !e->button_down) e->button_presses++;
  e->button_down = down;
}

void wb_stream_readable(wb_handle* h, short revents) {
  struct input_event ev;
  for (;;) {
    const int flag = h->resyncing == 2 ? LIBEVDEV_READ_FLAG_SYNC : LIBEVDEV_READ_FLAG_NORMAL;
    const int rc = libevdev_next_event(h->evdev, flag, &ev);
    if (rc == LIBEVDEV_READ_STATUS_SYNC) {
      if (flag == LIBEVDEV_READ_FLAG_NORMAL) h->resyncing = 2; /* SYN_DROPPED: read the sync events */
      continue;
    }
    if (rc == -EAGAIN) {
      if (h->resyncing == 2) { /* the sync is over; the next report counts the gap */
        h->resyncing = 1;
        continue;
      }
      break;
    }
    if (rc < 0) {
      const int reason = (rc == -ENODEV || rc == -EIO) ? KP_ERR_NO_DEVICE : KP_ERR_IO;
      wb_log(reason == KP_ERR_NO_DEVICE ? KP_LOG_INFO : KP_LOG_WARN, "%s: the stream ended: %s", h->id, strerror(-rc));
      end_stream(h, reason);
      return;
    }
    if (ev.type == EV_KEY && ev.code == BTN_A) on_button(h, ev.value != 0);
    if (ev.type == EV_SYN && ev.code == SYN_REPORT && h->resyncing != 2) emit_report(h, &ev);
  }
  flush_samples(h);
  if (revents & (POLLHUP | POLLERR)) { /* evdev's poll says so once the device is gone; the queue is read */
    wb_log(KP_LOG_INFO, "%s: the board's input device went away", h->id);
    end_stream(h, KP_ERR_NO_DEVICE);
  }
}

void wb_handle_gone(wb_handle* h) {
  if (h->entry && h->entry->open == h) h->entry->open = NULL;
  h->entry = NULL;
  if (h->streaming) {
    /* what the kernel had queued before the link dropped is still this test's */
    wb_stream_readable(h, 0);
    end_stream(h, KP_ERR_NO_DEVICE);
  }
}

void wb_handle_close(wb_handle* h) {
  close_stream(h);
  if (h->entry && h->entry->open == h) h->entry->open = NULL;
  pthread_mutex_destroy(&h->stats_lock);
  free(h);
}

void wb_handle_stats(wb_handle* h, kp_link_stats* out) {
  kp_link_stats s;
  pthread_mutex_lock(&h->stats_lock);
  s = h->stats;
  pthread_mutex_unlock(&h->stats_lock);
  const uint32_t size = out->struct_size < sizeof s ? out->struct_size : (uint32_t)sizeof s;
  s.struct_size = size;
  memcpy(out, &s, size);
}
