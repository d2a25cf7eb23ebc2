/*
 * A small HTTP/1.0 server for download tests. It binds 127.0.0.1 on a port the kernel picks,
 * writes that port to a file, and serves the files of one folder. The first path component
 * selects a failure mode, so one server covers every case:
 *
 *   /FILE            the file (200), or 404 when it does not exist
 *   /404/FILE        404 Not Found
 *   /redirect/FILE   302 to /FILE
 *   /truncated/FILE  a Content-Length 1000 bytes above the file's size, half the file, close
 *   /stall/FILE      the headers, then nothing until the client gives up (at most 60 s)
 *   /wrong/FILE      the file with its last byte changed
 *   /503/FILE        503 Service Unavailable
 *   /flaky/FILE      503 for the first request of FILE, the file for later ones (the server
 *                    remembers the first request by creating ROOT/.flaky-FILE)
 *
 * Usage: cgym_test_httpd ROOT PORT_FILE. Each connection is served by a forked child, so a
 * stalled response does not hold up the next test. SIGTERM stops the server.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define REQUEST_MAX 4096
#define FILE_MAX (64 * 1024 * 1024)
#define STALL_SECONDS 60

static void send_all(int fd, const void *data, size_t size) {
  const char *bytes = data;
  while (size > 0) {
    ssize_t count = send(fd, bytes, size, MSG_NOSIGNAL);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;
    bytes += count;
    size -= (size_t)count;
  }
}

static void send_status(int fd, const char *status, const char *extra_header) {
  char head[1024];
  int length = snprintf(head, sizeof head, "HTTP/1.0 %s\r\n%sContent-Length: 0\r\n"
                        "Connection: close\r\n\r\n", status, extra_header ? extra_header : "");
  send_all(fd, head, (size_t)length);
}

/* Reads root/name whole; returns NULL when it is missing, not a regular file or too large. */
static char *read_file(const char *root, const char *name, size_t *size) {
  char path[2048];
  struct stat info;

  if (strstr(name, "..") || !*name) return NULL;
  snprintf(path, sizeof path, "%s/%s", root, name);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return NULL;
  char *data = NULL;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size <= FILE_MAX)
    data = malloc((size_t)info.st_size + 1);
  size_t used = 0;
  while (data && used < (size_t)info.st_size) {
    ssize_t count = read(fd, data + used, (size_t)info.st_size - used);
    if (count <= 0) break;
    used += (size_t)count;
  }
  close(fd);
  *size = used;
  return data;
}

/* Waits until the client closes the connection or STALL_SECONDS pass. */
static void stall(int fd) {
  char buffer[256];
  struct pollfd poll_fd = {fd, POLLIN, 0};
  for (int waited = 0; waited < STALL_SECONDS; waited++) {
    if (poll(&poll_fd, 1, 1000) > 0 && recv(fd, buffer, sizeof buffer, 0) <= 0) return;
  }
}

static void serve_file(int fd, const char *mode, const char *root, const char *name) {
  char head[512];
  size_t size = 0;
  char *data = read_file(root, name, &size);

  if (!data) {
    send_status(fd, "404 Not Found", NULL);
    return;
  }
  size_t declared = strcmp(mode, "truncated") == 0 ? size + 1000 : size;
  int length = snprintf(head, sizeof head, "HTTP/1.0 200 OK\r\nContent-Type: "
                        "application/octet-stream\r\nContent-Length: %zu\r\nConnection: close\r\n"
                        "\r\n", declared);
  send_all(fd, head, (size_t)length);

  if (strcmp(mode, "stall") == 0) stall(fd);
  else if (strcmp(mode, "truncated") == 0) send_all(fd, data, size / 2);
  else {
    if (strcmp(mode, "wrong") == 0 && size > 0) data[size - 1] ^= 0x5a;
    send_all(fd, data, size);
  }
  free(data);
}

/* Returns nonzero for the first request of name since the server's folder was made. */
static int first_request(const char *root, const char *name) {
  char marker[2048];
  if (strchr(name, '/')) return 0;
  snprintf(marker, sizeof marker, "%s/.flaky-%s", root, name);
  int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) return 0;
  close(fd);
  return 1;
}

static void handle(int fd, const char *root) {
  char request[REQUEST_MAX + 1];
  size_t used = 0;

  request[0] = '\0';
  while (used < REQUEST_MAX && !strstr(request, "\r\n\r\n")) {
    ssize_t count = recv(fd, request + used, REQUEST_MAX - used, 0);
    if (count <= 0) return;
    used += (size_t)count;
    request[used] = '\0';
  }
  char path[REQUEST_MAX];
  if (sscanf(request, "GET %4095s", path) != 1 || path[0] != '/') {
    send_status(fd, "400 Bad Request", NULL);
    return;
  }

  const char *rest = path + 1;
  const char *slash = strchr(rest, '/');
  static const char *const modes[] = {"404", "redirect", "truncated", "stall", "wrong", "503",
                                      "flaky", NULL};
  for (const char *const *mode = modes; slash && *mode; mode++) {
    if (strncmp(rest, *mode, (size_t)(slash - rest)) != 0 || strlen(*mode) != (size_t)(slash - rest))
      continue;
    if (strcmp(*mode, "404") == 0) {
      send_status(fd, "404 Not Found", NULL);
    } else if (strcmp(*mode, "503") == 0 || (strcmp(*mode, "flaky") == 0 &&
                                             first_request(root, slash + 1))) {
      send_status(fd, "503 Service Unavailable", NULL);
    } else if (strcmp(*mode, "redirect") == 0) {
      char location[REQUEST_MAX + 32];
      snprintf(location, sizeof location, "Location: %s\r\n", slash);
      send_status(fd, "302 Found", location);
    } else {
      serve_file(fd, *mode, root, slash + 1);
    }
    return;
  }
  serve_file(fd, "plain", root, rest);
}

static int write_port(const char *port_file, int port) {
  char temp[2048];
  snprintf(temp, sizeof temp, "%s.tmp", port_file);
  FILE *file = fopen(temp, "w");
  if (!file) return -1;
  fprintf(file, "%d\n", port);
  if (fclose(file) != 0) return -1;
  return rename(temp, port_file);
}

int main(int argc, char **argv) {
  struct sockaddr_in address = {0};
  socklen_t length = sizeof address;

  if (argc != 3) {
    fprintf(stderr, "usage: %s ROOT PORT_FILE\n", argv[0]);
    return 2;
  }
  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  signal(SIGPIPE, SIG_IGN);

  int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (server < 0 || bind(server, (struct sockaddr *)&address, sizeof address) != 0 ||
      listen(server, 16) != 0 || getsockname(server, (struct sockaddr *)&address, &length) != 0) {
    perror("cgym_test_httpd: cannot listen on 127.0.0.1");
    return 1;
  }
  if (write_port(argv[2], ntohs(address.sin_port)) != 0) {
    perror("cgym_test_httpd: cannot write the port file");
    return 1;
  }

  for (;;) {
    int client = accept(server, NULL, NULL);
    if (client < 0) {
      if (errno == EINTR) continue;
      perror("cgym_test_httpd: accept failed");
      return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(server);
      handle(client, argv[1]);
      shutdown(client, SHUT_RDWR);
      close(client);
      _exit(0);
    }
    close(client);
  }
}
