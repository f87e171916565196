// Every file of this target uses the shared redis-server launcher.
@_exported import RedisTestSupport
