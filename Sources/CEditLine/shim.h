#ifndef NEXSH_CEDITLINE_SHIM_H
#define NEXSH_CEDITLINE_SHIM_H

/* libedit's el_set, el_get and history are variadic, which Swift cannot call: each use nexsh
   makes is wrapped here. Swift 6 also refuses C's stdin/stdout/stderr globals. */

#include <stdio.h>
#include <unistd.h>
#include <locale.h>
#include <histedit.h>

typedef char *(*cel_prompt_fn)(EditLine *);
typedef unsigned char (*cel_command_fn)(EditLine *, int);

static inline FILE *cel_stdin(void) { return stdin; }
static inline FILE *cel_stdout(void) { return stdout; }
static inline FILE *cel_stderr(void) { return stderr; }

static inline void cel_setlocale(void) { setlocale(LC_ALL, ""); setlocale(LC_CTYPE, ""); }

/* The editor draws on `output`: stdout, or stderr when stdout is not a terminal. */
static inline EditLine *cel_init(const char *program, int draw_on_stderr) {
    return el_init(program, stdin, draw_on_stderr ? stderr : stdout, stderr);
}

/* The prompt may hold invisible sequences (colours) between two `ignore` characters. */
static inline int cel_set_prompt(EditLine *el, cel_prompt_fn fn, char ignore) {
    return el_set(el, EL_PROMPT_ESC, fn, ignore);
}
static inline int cel_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *cel_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int cel_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int cel_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int cel_add_function(EditLine *el, const char *name, const char *help, cel_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int cel_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, NULL);
}
/* Terminal settings while editing, e.g. ("-d", "-isig"): Ctrl-C reaches the editor, not a signal. */
static inline int cel_settty(EditLine *el, const char *mode, const char *setting) {
    return el_set(el, EL_SETTY, mode, setting, NULL);
}
static inline int cel_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

static inline History *cel_history_init(void) { return history_init(); }
static inline int cel_history_setsize(History *h, int size) { HistEvent ev; return history(h, &ev, H_SETSIZE, size); }
static inline int cel_history_unique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int cel_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int cel_history_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline void cel_history_clear(History *h) { HistEvent ev; history(h, &ev, H_CLEAR); }

/* Writes the history into `fd`, a file nexsh created itself. H_SAVE would open the path with
   fopen(path, "w"), which follows a link planted in its place: H_SAVE_FP writes to a stream of
   ours instead. Returns -1 on failure, with errno set when the system refused. */
static inline int cel_history_save_fd(History *h, int fd) {
    int copy = dup(fd);
    if (copy < 0) return -1;
    FILE *stream = fdopen(copy, "w");
    if (stream == NULL) {
        close(copy);
        return -1;
    }
    HistEvent ev;
    int saved = history(h, &ev, H_SAVE_FP, stream);
    if (fclose(stream) != 0) return -1;
    return saved;
}

/* Walks the history from the oldest entry: call with first = 1, then 0, until NULL. */
static inline const char *cel_history_walk(History *h, int first) {
    HistEvent ev;
    if (history(h, &ev, first ? H_LAST : H_PREV) == -1) return NULL;
    return ev.str;
}

#endif
