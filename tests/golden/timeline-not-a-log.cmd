#! stderr
timeline ../shared/fixtures/heap/hprof/mat-oracle_jdk8_05_x64.hprof.hwcache/NBProfiler.nphd
