// The retained-size oracle for `inquest heap`: VisualVM's standalone heap library (Debian's
// visualvm package, org-graalvm-visualvm-lib-jfluid-heap.jar) prints the N biggest objects of a
// dump by retained size, one per line: id (hex), class, shallow size, retained size.
//   javac -cp $JAR -d OUT HeapRetained.java && java -cp $JAR:OUT HeapRetained DUMP N
import java.io.File;
import org.graalvm.visualvm.lib.jfluid.heap.Heap;
import org.graalvm.visualvm.lib.jfluid.heap.HeapFactory;
import org.graalvm.visualvm.lib.jfluid.heap.Instance;

public class HeapRetained {
  public static void main(String[] args) throws Exception {
    Heap heap = HeapFactory.createHeap(new File(args[0]));
    for (Instance i : heap.getBiggestObjectsByRetainedSize(Integer.parseInt(args[1])))
      System.out.println(Long.toHexString(i.getInstanceId()) + " " + i.getJavaClass().getName()
          + " " + i.getSize() + " " + i.getRetainedSize());
  }
}
