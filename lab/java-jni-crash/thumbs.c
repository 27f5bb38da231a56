/* The native half of Thumbnails: sums the pixels it is given. It never checks that the buffer
 * exists, so a null array from Java is dereferenced and the process gets SIGSEGV. */
#include <jni.h>
#include <stddef.h>

static long sum_pixels(const signed char* pixels, int length) {
  long sum = 0;
  for (int i = 0; i < length; ++i) sum += pixels[i];
  return sum;
}

JNIEXPORT jlong JNICALL Java_Thumbnails_decode(JNIEnv* env, jclass cls, jbyteArray array,
                                               jint length) {
  jbyte* pixels = array ? (*env)->GetByteArrayElements(env, array, NULL) : NULL;
  long sum = sum_pixels((const signed char*)pixels, length); /* NULL when array is null */
  if (pixels) (*env)->ReleaseByteArrayElements(env, array, pixels, JNI_ABORT);
  return sum;
}
