#include "plates/host_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace kiosk::plates::wire {

const char* type_name(Type t) {
  switch (t) {
    case Type::ready:
      return "ready";
    case Type::refused:
      return "refused";
    case Type::enumerate:
      return "enumerate";
    case Type::open:
      return "open";
    case Type::start:
      return "start";
    case Type::stop:
      return "stop";
    case Type::close:
      return "close";
    case Type::link_stats:
      return "link_stats";
    case Type::sim_scenario:
      return "sim_scenario";
    case Type::shutdown:
      return "shutdown";
    case Type::battery:
      return "battery";
    case Type::sim_advance:
      return "sim_advance";
    case Type::reply:
      return "reply";
    case Type::log:
      return "log";
    case Type::device_changed:
      return "device_changed";
    case Type::stream_end:
      return "stream_end";
  }
  return "unknown";
}

namespace {
bool known(uint16_t t) {
  return std::string_view(type_name(static_cast<Type>(t))) != "unknown";
}  // one list: type_name
}  // namespace

bool send(int sock, const Message& msg) {
  if (sizeof(Header) + msg.payload.size() > kMaxMessage) return false;
  Header h{kMagic, kVersion, static_cast<uint16_t>(msg.type), msg.call_id, static_cast<uint32_t>(msg.payload.size())};
  iovec iov[2] = {{&h, sizeof h}, {const_cast<char*>(msg.payload.data()), msg.payload.size()}};
  msghdr mh{};
  mh.msg_iov = iov;
  mh.msg_iovlen = msg.payload.empty() ? 1 : 2;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (msg.fd >= 0) {
    mh.msg_control = control;
    mh.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &msg.fd, sizeof(int));
  }
  ssize_t n;
  do n = sendmsg(sock, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof h + msg.payload.size());
}

Received receive(int sock, Message& out) {
  std::vector<char> buf(kMaxMessage);
  iovec iov{buf.data(), buf.size()};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  mh.msg_control = control;
  mh.msg_controllen = sizeof control;
  ssize_t n;
  do n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  out.fd = -1;
  for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
      std::memcpy(&out.fd, CMSG_DATA(c), sizeof(int));
  if (n == 0) return Received::closed;
  if (n < 0) return Received::closed;  // ECONNRESET and friends: the peer is gone
  Header h;
  bool ok = static_cast<size_t>(n) >= sizeof h && !(mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC));
  if (ok) {
    std::memcpy(&h, buf.data(), sizeof h);
    ok = h.magic == kMagic && h.version == kVersion && known(h.type) && h.length == n - sizeof h;
  }
  if (!ok) {
    if (out.fd >= 0) ::close(out.fd);
    out.fd = -1;
    return Received::broken;
  }
  out.type = static_cast<Type>(h.type);
  out.call_id = h.call_id;
  out.payload.assign(buf.data() + sizeof h, h.length);
  return Received::message;
}

}  // namespace kiosk::plates::wire
