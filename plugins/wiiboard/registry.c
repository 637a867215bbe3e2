/* registry.c — which boards Linux has, through libudev: an enumerate of
 * input nodes named like a board, followed by the udev monitor (add/remove),
 * or where no monitor can be had (KIOSK_WIIBOARD_HOTPLUG=poll, or it fails)
 * a re-scan every WIIBOARD_POLL_MS.
 *
 * Identity: hid-wiimote gives the input device no uniq, but its HID parent
 * carries the board's Bluetooth address (HID_UNIQ, from the HIDP link), so
 * the id is "wiiboard:<address>" and survives sleep and reconnect, when the
 * input and event numbers change. The battery is the HID device's
 * power_supply child ("wiimote_battery_<address>", attribute capacity).
 * [I/O thread] throughout. */
#define _GNU_SOURCE
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiiboard.h"

static struct udev* g_udev;
static struct udev_monitor* g_monitor;
static uint64_t g_next_poll_ns;
static wb_entry g_entries[WIIBOARD_MAX_BOARDS];

/* Cell centres from the plate centre, mm (x + to the person's right, y +
 * toward the toes): the sensors sit 433 mm apart left to right and 238 mm
 * front to back (Leach et al. 2014, Sensors 14:18244, "Validating and
 * calibrating the Nintendo Wii Balance Board ..."; the same as Clark et al.
 * 2010, Gait & Posture 31:307). Order: the host's front-left, front-right,
 * back-left, back-right (board.c maps the kernel's axes to it). */
static const float kCellX[4] = {-216.5f, 216.5f, -216.5f, 216.5f};
static const float kCellY[4] = {119.0f, 119.0f, -119.0f, -119.0f};

static void fill_info(kp_device_info* info, const char* address) {
  memset(info, 0, sizeof *info);
  info->struct_size = sizeof *info;
  snprintf(info->id, sizeof info->id, "wiiboard:%s", address);
  snprintf(info->vendor, sizeof info->vendor, "Nintendo");
  snprintf(info->model, sizeof info->model, "Wii Balance Board (RVL-WBC-01)");
  snprintf(info->serial, sizeof info->serial, "%s", address);
  snprintf(info->firmware, sizeof info->firmware, "hid-wiimote");
  info->cell_count = 4;
  for (int i = 0; i < 4; ++i) info->cell_x_mm[i] = kCellX[i], info->cell_y_mm[i] = kCellY[i];
  info->rate_count = 1;
  info->rates_hz[0] = WIIBOARD_RATE_HZ;
  info->newtons_per_count = WIIBOARD_NEWTONS_PER_COUNT;
}

static wb_entry* find_by_syspath(const char* syspath) {
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i)
    if (g_entries[i].used && g_entries[i].present && strcmp(g_entries[i].syspath, syspath) == 0) return &g_entries[i];
  return NULL;
}

wb_entry* wb_registry_find(const char* id) {
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i)
    if (g_entries[i].used && strcmp(g_entries[i].info.id, id) == 0) return &g_entries[i];
  return NULL;
}

wb_handle* wb_registry_streaming(int slot) {
  const wb_entry* e = &g_entries[slot];
  return e->used && e->open && e->open->streaming ? e->open : NULL;
}

static wb_entry* entry_for(const char* id) {
  wb_entry* e = wb_registry_find(id);
  if (e) return e;
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i)
    if (!g_entries[i].used) {
      memset(&g_entries[i], 0, sizeof g_entries[i]);
      g_entries[i].used = 1;
      g_entries[i].battery_percent = -1;
      return &g_entries[i];
    }
  return NULL;
}

/* The board's Bluetooth address from the HID device above an input node, or NULL. */
static const char* board_address(struct udev_device* node) {
  struct udev_device* input = udev_device_get_parent_with_subsystem_devtype(node, "input", NULL);
  if (!input) return NULL;
  const char* name = udev_device_get_sysattr_value(input, "name");
  if (!name || strncmp(name, WIIBOARD_NAME, strlen(WIIBOARD_NAME)) != 0) return NULL;
  struct udev_device* hid = udev_device_get_parent_with_subsystem_devtype(node, "hid", NULL);
  const char* uniq = hid ? udev_device_get_property_value(hid, "HID_UNIQ") : NULL;
  return uniq && *uniq ? uniq : NULL;
}

void wb_registry_refresh_battery(wb_entry* e, int force) {
  if (!e->present || (e->open && e->open->streaming)) return; /* a read is a round trip to the board */
  const uint64_t now = wb_now_ns();
  if (!force && e->battery_read_ns && now - e->battery_read_ns < WIIBOARD_BATTERY_MAX_AGE_MS * 1000000ull) return;
  /* a fresh udev_device each time: libudev caches attribute values */
  struct udev_device* node = udev_device_new_from_syspath(g_udev, e->syspath);
  struct udev_device* hid = node ? udev_device_get_parent_with_subsystem_devtype(node, "hid", NULL) : NULL;
  char path[512];
  if (hid) {
    snprintf(path, sizeof path, "%s/power_supply/wiimote_battery_%s", udev_device_get_syspath(hid), e->info.serial);
    struct udev_device* bat = udev_device_new_from_syspath(g_udev, path);
    const char* cap = bat ? udev_device_get_sysattr_value(bat, "capacity") : NULL;
    if (cap) {
      const long v = strtol(cap, NULL, 10);
      e->battery_percent = v < 0 ? 0 : v > 100 ? 100 : (int32_t)v;
      e->battery_read_ns = now;
    }
    if (bat) udev_device_unref(bat);
  }
  if (node) udev_device_unref(node);
}

/* A node is (still) there: record it, probe it if new or not yet usable. */
static wb_entry* node_seen(struct udev_device* node, int* became_usable) {
  *became_usable = 0;
  const char* address = board_address(node);
  const char* devnode = udev_device_get_devnode(node);
  if (!address || !devnode) return NULL;
  char id[64];
  snprintf(id, sizeof id, "wiiboard:%s", address);
  wb_entry* e = entry_for(id);
  if (!e) {
    wb_log(KP_LOG_WARN, "more than %d Wii boards: %s ignored", WIIBOARD_MAX_BOARDS, id);
    return NULL;
  }
  const char* syspath = udev_device_get_syspath(node);
  const int fresh = !e->present || strcmp(e->syspath, syspath) != 0;
  if (fresh || !e->usable) {
    if (e->present && e->open && fresh) wb_handle_gone(e->open); /* its old node went without a word */
    const int was_usable = e->usable && !fresh;
    fill_info(&e->info, address);
    snprintf(e->syspath, sizeof e->syspath, "%s", syspath);
    snprintf(e->devnode, sizeof e->devnode, "%s", devnode);
    e->present = 1;
    const int r = wb_board_probe(e);
    const int was_problem = e->problem[0] != 0;
    e->usable = r == KP_OK;
    e->denied = r == KP_ERR_ACCESS;
    *became_usable = e->usable && !was_usable;
    if (r == KP_OK) {
      e->problem[0] = '\0';
      wb_registry_refresh_battery(e, 1);
    } else {
      char why[sizeof e->problem];
      snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1, wb_last_error()); /* cut to fit, on purpose */
      if (!was_problem || strcmp(why, e->problem) != 0) wb_log(KP_LOG_WARN, "%s", why);
      snprintf(e->problem, sizeof e->problem, "%s", why);
    }
  }
  return e;
}

static void node_gone(wb_entry* e) {
  const int was_usable = e->usable;
  e->present = e->usable = e->denied = 0;
  if (e->open) wb_handle_gone(e->open);
  if (was_usable) {
    wb_log(KP_LOG_INFO, "%s went away (asleep, off or out of reach)", e->info.id);
    wb_device_changed(e->info.id, 0);
  }
}

int wb_registry_sync(void) {
  if (!g_udev) return wb_fail(KP_ERR_NA, "udev is not available");
  int seen[WIIBOARD_MAX_BOARDS] = {0};
  int was_usable[WIIBOARD_MAX_BOARDS];
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i) was_usable[i] = g_entries[i].used && g_entries[i].usable;
  struct udev_enumerate* en = udev_enumerate_new(g_udev);
  if (!en) return wb_fail(KP_ERR_NO_MEMORY, "udev_enumerate_new failed");
  udev_enumerate_add_match_subsystem(en, "input");
  udev_enumerate_add_match_sysname(en, "event*");
  udev_enumerate_scan_devices(en);
  struct udev_list_entry* it;
  udev_list_entry_foreach(it, udev_enumerate_get_list_entry(en)) {
    struct udev_device* node = udev_device_new_from_syspath(g_udev, udev_list_entry_get_name(it));
    if (!node) continue;
    int became_usable = 0;
    wb_entry* e = node_seen(node, &became_usable);
    if (e) seen[e - g_entries] = 1;
    udev_device_unref(node);
  }
  udev_enumerate_unref(en);
  int usable = 0, denied = 0, broken = 0;
  const char* problem = NULL;
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i) {
    wb_entry* e = &g_entries[i];
    if (!e->used) continue;
    if (e->present && !seen[i]) node_gone(e);
    if (e->usable && !was_usable[i]) wb_device_changed(e->info.id, 1);
    usable += e->usable;
    if (e->present && !e->usable) {
      denied += e->denied, broken += !e->denied;
      if (!problem || e->denied) problem = e->problem;
    }
  }
  if (usable == 0 && denied) return wb_fail(KP_ERR_ACCESS, "%s", problem);
  if (usable == 0 && broken) return wb_fail(KP_ERR_PROTOCOL, "%s", problem);
  return usable;
}

int wb_registry_list(kp_device_info* infos, uint32_t max) {
  int n = 0;
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i) {
    const wb_entry* e = &g_entries[i];
    if (!e->used || !e->usable) continue;
    if (infos && (uint32_t)n < max) {
      const uint32_t size = infos[n].struct_size < sizeof e->info ? infos[n].struct_size : (uint32_t)sizeof e->info;
      memcpy(&infos[n], &e->info, size);
      infos[n].struct_size = size;
    }
    ++n;
  }
  return n;
}

/* One uevent from the monitor; 0 when none was waiting. */
static int monitor_event(void) {
  struct udev_device* d = udev_monitor_receive_device(g_monitor);
  if (!d) return 0;
  const char* action = udev_device_get_action(d);
  const char* sysname = udev_device_get_sysname(d);
  if (action && sysname && strncmp(sysname, "event", 5) == 0) {
    if (strcmp(action, "remove") == 0) {
      wb_entry* e = find_by_syspath(udev_device_get_syspath(d));
      if (e) node_gone(e);
    } else if (strcmp(action, "add") == 0 || strcmp(action, "change") == 0) {
      int became_usable = 0;
      wb_entry* e = node_seen(d, &became_usable);
      if (e && became_usable) wb_device_changed(e->info.id, 1);
    }
  }
  udev_device_unref(d);
  return 1;
}

int wb_registry_start(void) {
  g_udev = udev_new();
  if (!g_udev) return wb_fail(KP_ERR, "udev_new failed");
  const char* mode = getenv("KIOSK_WIIBOARD_HOTPLUG");
  if (!mode || strcmp(mode, "poll") != 0) {
    g_monitor = udev_monitor_new_from_netlink(g_udev, "udev");
    if (g_monitor && (udev_monitor_filter_add_match_subsystem_devtype(g_monitor, "input", NULL) < 0 ||
                      udev_monitor_enable_receiving(g_monitor) < 0)) {
      udev_monitor_unref(g_monitor);
      g_monitor = NULL;
    }
    if (!g_monitor) wb_log(KP_LOG_WARN, "no udev monitor: looking for Wii boards every %d ms", WIIBOARD_POLL_MS);
  }
  g_next_poll_ns = 0;
  wb_registry_sync(); /* the boards already there, announced like later ones */
  return KP_OK;
}

int wb_registry_monitor_fd(void) { return g_monitor ? udev_monitor_get_fd(g_monitor) : -1; }

/* A board udev shows that could not be used yet (its node not there or not
 * readable a moment after the uevent, or the udev rule installed since). */
static int any_waiting(void) {
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i)
    if (g_entries[i].used && g_entries[i].present && !g_entries[i].usable) return 1;
  return 0;
}

void wb_registry_pump(int monitor_ready) {
  if (g_monitor && monitor_ready)
    for (int i = 0; i < 64 && monitor_event(); ++i) {
    } /* a burst of uevents; the rest on the next turn */
  const uint64_t now = wb_now_ns();
  if (now < g_next_poll_ns) return;
  g_next_poll_ns = now + WIIBOARD_POLL_MS * 1000000ull;
  if (!g_monitor || any_waiting()) wb_registry_sync(); /* the fallback poll, or a second look */
}

void wb_registry_stop(void) {
  for (int i = 0; i < WIIBOARD_MAX_BOARDS; ++i)
    if (g_entries[i].used && g_entries[i].open) wb_handle_close(g_entries[i].open);
  memset(g_entries, 0, sizeof g_entries);
  if (g_monitor) udev_monitor_unref(g_monitor);
  if (g_udev) udev_unref(g_udev);
  g_monitor = NULL;
  g_udev = NULL;
}
