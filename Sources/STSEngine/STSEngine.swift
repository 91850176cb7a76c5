// STSEngine: the event loop thread that alone owns c-ares, the curl multi handle and epoll.
