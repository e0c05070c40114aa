# orderflow: the whole system with one command, the tests with another. `make help` lists the targets.
#
# Settings (environment or `make up NAME=value`):
#   STACK_DIR=.stack          data, logs and pid files of the local stack (git-ignored; `make clean` wipes it)
#   BROKERS=1                 Kafka nodes, on KAFKA_PORT, KAFKA_PORT+1, ...; with 3, topics have 3 replicas, 2 in sync
#   INSTANCES=1               processes of each service (ORDER_INSTANCES=3 etc. for one); instance i on its port + 10·i
#   KAFKA_PORT=9092  KAFKA_CONTROLLER_PORT=KAFKA_PORT+BROKERS  PG_PORT=5432  KAFKA_PARTITIONS=6
#   ORDER_PORT=8081  INVENTORY_PORT=8082  WAREHOUSE_PORT=8083  SHIPPER_PORT=8084  NOTIFICATION_PORT=8085
#   CHAOS_RATE=200  CHAOS_SECONDS=180  orders/s and duration of `make chaos` (docs/operations.md)
#   PG_OS_USER=nobody         the user PostgreSQL runs as when make runs as root (PostgreSQL refuses root)
#   SERVICE_JAVA_OPTS="-Xms256m -Xmx512m -Xmn128m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"   JVM options of the services

SHELL := /bin/bash
.DEFAULT_GOAL := help

STACK_DIR ?= .stack
export STACK_DIR KAFKA_PORT KAFKA_CONTROLLER_PORT PG_PORT KAFKA_PARTITIONS PG_OS_USER SERVICE_JAVA_OPTS
export ORDER_PORT INVENTORY_PORT WAREHOUSE_PORT SHIPPER_PORT NOTIFICATION_PORT BROKERS INSTANCES
export ORDER_INSTANCES INVENTORY_INSTANCES WAREHOUSE_INSTANCES SHIPPER_INSTANCES NOTIFICATION_INSTANCES CHAOS_RATE CHAOS_SECONDS

# Maven from the PATH, else the wrapper (./mvnw fetches Maven 3.9.11 once, into ~/.m2/wrapper).
MAVEN := $(shell command -v mvn > /dev/null 2>&1 && echo mvn || echo ./mvnw)
MVN ?= $(MAVEN) -B -q
BUILD_STAMP := dev-stack/target/.build-stamp
SOURCES := $(shell find . -path ./$(STACK_DIR) -prune -o -path '*/target' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -print)

.PHONY: help build up down ps logs test clean bench bench-messaging chaos

help: ## Show the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@sed -n '3,11p' Makefile

build: $(BUILD_STAMP) ## Build the five service jars (svc-*/target/svc-*.jar) and the dev stack

$(BUILD_STAMP): $(SOURCES)
	@echo "Building the jars with $(MAVEN) (the first build downloads the dependencies from Maven Central: a few minutes) ..."
	$(MVN) install -DskipTests
	@touch $@

up: build ## Start Kafka, PostgreSQL and the five services (BROKERS=3, INSTANCES=2 for more); wait until all are ready
	@scripts/stack.sh up

down: ## Stop what `make up` started (by pid, nothing else)
	@scripts/stack.sh down

ps: ## Show every process of the stack, its port and pid
	@scripts/stack.sh ps

logs: ## Follow the logs of the services, Kafka and PostgreSQL
	@tail -n 20 -F $(STACK_DIR)/logs/*.log $(wildcard $(STACK_DIR)/kafka/kafka.log $(STACK_DIR)/kafka-cluster/node-*/kafka.log) $(STACK_DIR)/postgres/postgres.log

test: ## Unit and integration tests on a real Kafka and PostgreSQL (started by the tests themselves)
	$(MAVEN) -B verify

bench: up ## Orders through all five services (BENCH_MODE=rate|ramp, BENCH_RATE, BENCH_SECONDS; see docs/performance.md)
	java -Xms1g -Xmx1g -Xmn512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlogback.configurationFile=orderflow/cli-logback.xml \
	  -cp "bench/target/classes:$$(cat bench/target/bench.classpath)" org.orderflow.bench.PipelineBenchmark

bench-messaging: build ## Benchmark the outbox relay, consumer runtime and hop latency (own durable servers; ~2 min)
	java -Xms512m -Xmx2g -Dlogback.configurationFile=orderflow/cli-logback.xml \
	  -cp "bench/target/classes:$$(cat bench/target/bench.classpath)" org.orderflow.bench.MessagingBenchmark

chaos: build ## Orders under kill -9 of every process of the running stack, then checks nothing was lost or doubled
	java -Xms256m -Xmx1g -XX:+UseSerialGC -Dlogback.configurationFile=orderflow/cli-logback.xml \
	  -cp "bench/target/classes:$$(cat bench/target/bench.classpath)" org.orderflow.bench.chaos.ChaosRun

clean: ## Stop everything, delete all data (orders, topics) and the build output
	-@scripts/stack.sh down 2>/dev/null
	rm -rf $(STACK_DIR)
	$(MVN) clean
