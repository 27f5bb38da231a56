// Stack traces of the three runtimes as their loggers and runtimes write them, read into
// signatures: the root cause's type, the program's own top frames, and a key that ids in the
// message do not change.
#include "timeline/exception_signature.h"

#include <gtest/gtest.h>

#include <string>

namespace inquest {
namespace {

const char kJavaNpe[] =
    "2026-05-29 14:11:02,114 ERROR [http-nio-8080-exec-3] c.a.o.OrderController - Request "
    "failed for order 81723\n"
    "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"sku\" is null\n"
    "\tat java.base/java.util.Objects.requireNonNull(Objects.java:209)\n"
    "\tat com.acme.orders.OrderMapper.map(OrderMapper.java:88) ~[orders.jar:?]\n"
    "\tat com.acme.orders.OrderService$$SpringCGLIB$$0.place(<generated>)\n"
    "\tat com.acme.orders.OrderService.place(OrderService.java:41)\n"
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:833)\n";

TEST(ExceptionSignatureTest, JavaSkipsJdkAndFrameworkFrames) {
  auto s = ParseStackTrace(kJavaNpe);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->runtime, StackRuntime::kJava);
  EXPECT_EQ(s->type, "java.lang.NullPointerException");
  EXPECT_EQ(s->Label(), "NullPointerException at OrderMapper.map:88");
  ASSERT_EQ(s->top.size(), 2u);
  EXPECT_EQ(s->top[1].function, "com.acme.orders.OrderService.place");
  EXPECT_EQ(s->top[1].line, 41);
  EXPECT_FALSE(s->library_only);
  EXPECT_EQ(s->chain, 1u);
}

TEST(ExceptionSignatureTest, IdsInMessagesDoNotChangeTheKey) {
  std::string other = kJavaNpe;
  other.replace(other.find("81723"), 5, "99");
  other.replace(other.find("\"sku\""), 5, "\"customerName\"");
  EXPECT_EQ(ParseStackTrace(kJavaNpe)->key, ParseStackTrace(other)->key);
  std::string moved = kJavaNpe;
  moved.replace(moved.find("OrderMapper.java:88"), 19, "OrderMapper.java:91");
  EXPECT_NE(ParseStackTrace(kJavaNpe)->key, ParseStackTrace(moved)->key);
}

TEST(ExceptionSignatureTest, JavaCausedByChainTakesTheRootCause) {
  const char text[] =
      "org.springframework.web.util.NestedServletException: Request processing failed\n"
      "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(Fw.java:1014)\n"
      "\tat com.acme.web.Filter.doFilter(Filter.java:12)\n"
      "\tSuppressed: java.io.IOException: close failed\n"
      "\t\tat com.acme.io.Closer.close(Closer.java:7)\n"
      "\tCaused by: java.lang.IllegalArgumentException: nope\n"
      "\t\tat com.acme.io.Other.x(Other.java:3)\n"
      "Caused by: com.acme.orders.PricingException: no price for 4711\n"
      "\tat com.acme.orders.PriceBook.lookup(PriceBook.java:120)\n"
      "\tat com.acme.orders.OrderService.total(OrderService.java:77)\n"
      "\t... 40 more\n"
      "Caused by: java.sql.SQLTransientConnectionException: pool - Connection is not available\n"
      "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
      "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)\n"
      "\t... 52 more\n";
  auto s = ParseStackTrace(text);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->chain, 3u);
  EXPECT_EQ(s->type, "java.sql.SQLTransientConnectionException");
  EXPECT_EQ(s->outer_type, "org.springframework.web.util.NestedServletException");
  // The root's frames are all the pool's: its own frames are those of the exception it
  // travelled through.
  EXPECT_EQ(s->Label(), "SQLTransientConnectionException at PriceBook.lookup:120");
  EXPECT_FALSE(s->library_only);
}

TEST(ExceptionSignatureTest, ExceptionInThreadHeader) {
  auto s = ParseStackTrace(
      "Exception in thread \"main\" java.lang.IllegalStateException: boom\n"
      "\tat Main.run(Main.java:5)\n\tat Main.main(Main.java:2)\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->Label(), "IllegalStateException at Main.run:5");
}

TEST(ExceptionSignatureTest, PythonChainRootIsTheFirstTraceback) {
  const char text[] =
      "2026-05-29 14:11:02,114 ERROR orders.api: request 5d2f failed\n"
      "Traceback (most recent call last):\n"
      "  File \"/srv/app/.venv/lib/python3.11/site-packages/flask/app.py\", line 1484, in "
      "full_dispatch_request\n"
      "    rv = self.dispatch_request()\n"
      "  File \"/srv/app/orders/views.py\", line 31, in create\n"
      "    total = price(cart)\n"
      "  File \"/srv/app/orders/pricing.py\", line 12, in price\n"
      "    return table[sku]\n"
      "           ~~~~~^^^^^\n"
      "KeyError: 'sku-4711'\n"
      "\n"
      "During handling of the above exception, another exception occurred:\n"
      "\n"
      "Traceback (most recent call last):\n"
      "  File \"/srv/app/orders/views.py\", line 35, in create\n"
      "    raise OrderFailed(order_id) from None\n"
      "orders.errors.OrderFailed: order 17 failed\n";
  auto s = ParseStackTrace(text);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->runtime, StackRuntime::kPython);
  EXPECT_EQ(s->chain, 2u);
  EXPECT_EQ(s->type, "KeyError");
  EXPECT_EQ(s->message, "'sku-4711'");
  EXPECT_EQ(s->outer_type, "orders.errors.OrderFailed");
  EXPECT_EQ(s->Label(), "KeyError at price (pricing.py:12)");
  ASSERT_EQ(s->top.size(), 2u);
  EXPECT_EQ(s->top[1].function, "create");
  EXPECT_EQ(s->top[1].line, 31);
}

TEST(ExceptionSignatureTest, PythonStdlibFramesAreSkipped) {
  auto s = ParseStackTrace(
      "Traceback (most recent call last):\n"
      "  File \"/app/worker.py\", line 9, in <module>\n"
      "    main()\n"
      "  File \"/app/worker.py\", line 6, in main\n"
      "    json.loads(body)\n"
      "  File \"/usr/lib/python3.11/json/__init__.py\", line 346, in loads\n"
      "    return _default_decoder.decode(s)\n"
      "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->Label(), "JSONDecodeError at main (worker.py:6)");
}

const char kGoPanic[] =
    "panic: runtime error: index out of range [5] with length 3\n"
    "\n"
    "goroutine 1187 [running]:\n"
    "panic({0x6b4f40?, 0x8c2e10?})\n"
    "\t/usr/local/go/src/runtime/panic.go:914 +0x21f\n"
    "github.com/acme/orders/internal/mapper.(*Mapper).Map(0x0, {0xc000123, 0x3})\n"
    "\t/app/internal/mapper/mapper.go:88 +0x1d\n"
    "main.handler({0x7a1e0, 0xc0001}, 0xc00022)\n"
    "\t/app/main.go:42 +0x65\n"
    "net/http.HandlerFunc.ServeHTTP(0x0?, {0x7a1e0?, 0xc0001?}, 0x0?)\n"
    "\t/usr/local/go/src/net/http/server.go:2136 +0x29\n"
    "created by net/http.(*Server).Serve in goroutine 1\n"
    "\t/usr/local/go/src/net/http/server.go:3086 +0x5cb\n"
    "\n"
    "goroutine 1 [IO wait]:\n"
    "main.other()\n"
    "\t/app/other.go:1 +0x1\n";

TEST(ExceptionSignatureTest, GoPanicWithGoroutineStack) {
  auto s = ParseStackTrace(kGoPanic);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->runtime, StackRuntime::kGo);
  EXPECT_EQ(s->type, "panic: runtime error: index out of range [#] with length #");
  EXPECT_EQ(s->Label(),
            "panic: runtime error: index out of range [#] with length # at "
            "mapper.(*Mapper).Map (mapper.go:88)");
  ASSERT_EQ(s->top.size(), 2u);
  EXPECT_EQ(s->top[1].function, "main.handler");
  std::string other = kGoPanic;
  other.replace(other.find("[5] with length 3"), 17, "[12] with length 7");
  EXPECT_EQ(ParseStackTrace(other)->key, s->key);
}

TEST(ExceptionSignatureTest, GoLoggerStackTakesTheTypeFromTheMessage) {
  const char stack[] =
      "github.com/acme/cart.(*Store).Load\n"
      "\t/src/cart/store.go:57\n"
      "github.com/acme/cart.Handler.ServeHTTP\n"
      "\t/src/cart/handler.go:23\n"
      "net/http.serverHandler.ServeHTTP\n"
      "\t/usr/local/go/src/net/http/server.go:2938\n";
  EXPECT_TRUE(LooksLikeStackTrace(stack));
  auto a = ParseStackTrace(stack, "", "cart 81 not found: redis: nil");
  auto b = ParseStackTrace(stack, "", "cart 9172 not found: redis: nil");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->type, "\"cart # not found: redis: nil\"");
  EXPECT_EQ(a->key, b->key);
  EXPECT_EQ(a->Label(), "\"cart # not found: redis: nil\" at cart.(*Store).Load (store.go:57)");
  auto c = ParseStackTrace(stack, "*errors.errorString", "x");
  EXPECT_EQ(c->type, "*errors.errorString");
}

TEST(ExceptionSignatureTest, LibraryOnlyTraceKeepsInnermostFrames) {
  auto s = ParseStackTrace(
      "java.net.SocketTimeoutException: Read timed out\n"
      "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n"
      "\tat org.apache.http.impl.io.SessionInputBufferImpl.fillBuffer(S.java:153)\n");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->library_only);
  EXPECT_EQ(s->Label(), "SocketTimeoutException at NioSocketImpl.timedRead:288");
}

TEST(ExceptionSignatureTest, NotATrace) {
  EXPECT_FALSE(ParseStackTrace("just a message"));
  EXPECT_FALSE(ParseStackTrace("SELECT *\n  FROM orders\n  WHERE id = 4\n"));
  EXPECT_FALSE(ParseStackTrace("Traceback (most recent call last):\nKeyError: 'x'\n"));
  EXPECT_FALSE(LooksLikeStackTrace("line one\n  line two\n"));
  EXPECT_FALSE(LooksLikeStackTrace("see /app/main.go:42 for details"));
  EXPECT_TRUE(LooksLikeStackTrace(kJavaNpe));
}

TEST(ExceptionSignatureTest, MessageShape) {
  EXPECT_EQ(MessageShape("order 1234 not found"), "order # not found");
  EXPECT_EQ(MessageShape("user 'bob' id=42: denied"), "user \"…\" #: denied");
  EXPECT_EQ(MessageShape("  spaced   out  "), "spaced out");
  EXPECT_LE(MessageShape(std::string(10000, 'x') + " 1").size(), kMaxTypeChars);
}

TEST(ExceptionSignatureTest, BoundedOnRunawayInput) {
  std::string text = "java.lang.RuntimeException: a\n";
  for (int i = 0; i < 5000; ++i)
    text += "Caused by: x.Y" + std::to_string(i) +
            "Exception: z\n\tat a.B.c(B.java:" + std::to_string(i) + ")\n";
  auto s = ParseStackTrace(text);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->chain, kMaxChainLength);
  std::string frames = "x.BoomException\n";
  for (int i = 1; i <= 5000; ++i) frames += "\tat a.B.c(B.java:" + std::to_string(i) + ")\n";
  s = ParseStackTrace(frames);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->top.size(), 2u);
  EXPECT_EQ(s->top[0].line, 1);
  EXPECT_EQ(s->top[1].line, 2);
}

}  // namespace
}  // namespace inquest

namespace inquest {
namespace {

TEST(ExceptionSignatureTest, TracebackFileSplitsAtEachTracebackButKeepsChains) {
  std::string text =
      "worker starting\n"
      "Traceback (most recent call last):\n"
      "  File \"/app/w.py\", line 3, in run\n"
      "    f()\n"
      "KeyError: 'a'\n"
      "\n"
      "During handling of the above exception, another exception occurred:\n"
      "\n"
      "Traceback (most recent call last):\n"
      "  File \"/app/w.py\", line 5, in run\n"
      "    g()\n"
      "RuntimeError: wrapped\n"
      "restarting\n"
      "Traceback (most recent call last):\n"
      "  File \"/app/w.py\", line 3, in run\n"
      "    f()\n"
      "KeyError: 'b'\n";
  EXPECT_TRUE(LooksLikeTracebackFile(text));
  EXPECT_FALSE(LooksLikeTracebackFile("log line mentions Traceback (most recent call last):"));
  std::vector<TextTrace> t = SplitTracebacks(text);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].line, 2u);
  EXPECT_EQ(t[1].line, 14u);
  auto a = ParseStackTrace(t[0].text), b = ParseStackTrace(t[1].text);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->chain, 2u);
  EXPECT_EQ(a->type, "KeyError");
  EXPECT_EQ(a->key, b->key);
  EXPECT_EQ(SplitTracebacks(text, 1).size(), 1u);
}

}  // namespace
}  // namespace inquest
