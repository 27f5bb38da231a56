// A video service that transcodes frames in a small native library through JNI. The library
// reports progress through a plugin's callback; no plugin is loaded, the callback is null, and
// the JVM dies with SIGSEGV at pc 0, writing an hs_err_pid<N>.log.
public class Frames {
  static {
    System.loadLibrary("frames");
  }

  static native long transcode(int frames);

  public static void main(String[] args) {
    System.out.println("transcoding");
    System.out.flush();
    System.out.println("transcoded " + transcode(10));  // the crash
  }
}
