package io.dartmart.api.http;

import io.dartmart.domain.store.ReadWatch;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;

/**
 * A read made for an HTTP request is cancelled when the request's connection closes: a client that gave up (a
 * closed tab, a timeout) no longer keeps the database busy. Found through the request of the current thread.
 */
@Singleton
public class AbandonedRequests implements ReadWatch {
    private static final Registration NOTHING = () -> {
    };

    @Override
    public Registration whenGone(Runnable cancel) {
        if (!(ServerRequestContext.currentRequest().orElse(null) instanceof NettyHttpRequest<?> request)) {
            return NOTHING;
        }
        Channel channel = request.getChannelHandlerContext().channel();
        Object lock = new Object();
        boolean[] done = {false};
        // the cancel talks to the database: off the event loop that reports the close
        ChannelFutureListener onClose = f -> CompletableFuture.runAsync(() -> {
            synchronized (lock) {
                if (!done[0]) {
                    cancel.run();
                }
            }
        });
        channel.closeFuture().addListener(onClose);
        return () -> {
            synchronized (lock) {
                done[0] = true;
            }
            channel.closeFuture().removeListener(onClose);
        };
    }
}
