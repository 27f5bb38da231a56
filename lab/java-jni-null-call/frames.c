/* The native half of Frames: transcodes a video frame and reports progress through a callback
 * that a plugin registers. No plugin registered one, so the callback is a null function pointer;
 * calling it jumps to address 0 and the process gets SIGSEGV with pc = 0: no library's code
 * is running when it dies. */
#include <jni.h>
#include <stddef.h>

typedef void (*progress_fn)(int percent);

struct hooks {
  progress_fn on_progress; /* set by a plugin; none is loaded */
};

static struct hooks registered = {NULL};

static long transcode(const struct hooks* h, int frames) {
  long done = 0;
  for (int i = 0; i < frames; ++i) {
    done += i;
    if (i == frames / 2) h->on_progress(50); /* the jump to 0 */
  }
  return done;
}

JNIEXPORT jlong JNICALL Java_Frames_transcode(JNIEnv* env, jclass cls, jint frames) {
  (void)env;
  (void)cls;
  return transcode(&registered, frames);
}
