# Dumps and trace exports are records too: a JVM crash log, a Java thread dump and a Zipkin
# export merged on one clock, each verdict a record of its role (dump, span) with its kind, the
# line its evidence names, and how its time was read when the dump gave no zone.
#! stderr
timeline ../shared/fixtures/dumps/hs_err/krashpad-dataset70.txt ../shared/fixtures/dumps/java/dumpling/in-object-wait.log ../shared/fixtures/traces/zipkin/skew.json
