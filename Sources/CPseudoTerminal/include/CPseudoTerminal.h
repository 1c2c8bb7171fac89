#ifndef NEXSH_CPSEUDOTERMINAL_H
#define NEXSH_CPSEUDOTERMINAL_H

#include <stddef.h>
#include <sys/types.h>

/* Opens a pseudo-terminal master (close-on-exec) and writes its slave's path into `name`.
   Returns the master's descriptor, or -1 with errno set. */
int cpty_open_master(char *name, size_t length);

/* Starts `path` in a new session whose standard input, output and error are the slave
   `slave_name`, which becomes its controlling terminal; signals reset to their defaults and
   none blocked; in `directory` unless it is NULL. posix_spawn, not fork: the test runner is
   multithreaded. */
int cpty_spawn(const char *path, char *const argv[], char *const envp[], const char *slave_name, const char *directory, pid_t *pid);

int cpty_set_window_size(int fd, unsigned short rows, unsigned short columns);

/* The terminal's local flags as the program on the other side has set them. */
int cpty_local_flags(int fd, unsigned int *flags);

unsigned int cpty_flag_icanon(void);
unsigned int cpty_flag_echo(void);

/* The exit status (0...255) or, as a negative number, the signal that ended a child; -2000
   while it still runs (with `wait` 0), or -1000 on error. */
int cpty_wait(pid_t pid, int wait);

#endif
