// An image service that decodes thumbnails in a small native library through JNI. The decoder
// trusts the length it is given; for an empty image it walks off a null buffer and the JVM dies
// with SIGSEGV, writing an hs_err_pid<N>.log instead of throwing a Java exception.
public class Thumbnails {
  static {
    System.loadLibrary("thumbs");
  }

  // Returns a checksum of the decoded pixels; `pixels` may be null for an empty image.
  static native long decode(byte[] pixels, int length);

  public static void main(String[] args) {
    byte[] image = new byte[64];
    System.out.println("decoded " + decode(image, image.length));
    System.out.println("decoding an empty image");
    System.out.flush();
    System.out.println("decoded " + decode(null, 4096));  // the crash
  }
}
